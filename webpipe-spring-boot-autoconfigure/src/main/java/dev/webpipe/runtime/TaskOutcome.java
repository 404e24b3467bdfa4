package dev.webpipe.runtime;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How an {@code @async} task ended (docs/concurrency.md#task-outcome): with its task state, or with typed
 * errors. Tasks never signal errors: every failure becomes an outcome before anyone waits.
 *
 * @param state the task state on success, else {@code null}
 * @param errors the typed errors on failure, else {@code null}
 * @param durationNanos time from the task's start to its end
 */
public record TaskOutcome(JsonNode state, List<ObjectNode> errors, long durationNanos) {

	public boolean failed() {
		return this.errors != null;
	}

	/** {@code errors[0].message} if it is a string, else {@code errors[0].type}. */
	public String message() {
		ObjectNode first = this.errors.get(0);
		JsonNode message = first.get("message");
		return (message != null && message.isTextual()) ? message.asText() : first.path("type").asText();
	}

}
