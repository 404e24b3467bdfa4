package dev.webpipe.runtime;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * How an {@code @async} task ended (docs/concurrency.md#task-outcome): with its task state, or with typed
 * errors. Tasks never signal errors: every failure becomes an outcome before anyone waits.
 *
 * @param state the task state on success, else {@code null}
 * @param errors the typed errors on failure, else {@code null}
 * @param durationNanos time from the task's start to its end
 */
public record TaskOutcome(@Nullable JsonNode state, @Nullable List<ObjectNode> errors, long durationNanos) {

	public boolean failed() {
		return this.errors != null;
	}

	/** The typed errors of a failed task. */
	List<ObjectNode> failures() {
		return Objects.requireNonNull(this.errors, "the task did not fail");
	}

	/** {@code errors[0].type} of a failed task. */
	String firstType() {
		return failures().get(0).path("type").asText();
	}

	/** {@code errors[0].message} if it is a string, else {@code errors[0].type}. */
	public String message() {
		ObjectNode first = failures().get(0);
		JsonNode message = first.get("message");
		return (message != null && message.isTextual()) ? message.asText() : first.path("type").asText();
	}

}
