package dev.webpipe.middleware;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.webpipe.runtime.RequestContext;

/**
 * What a step receives per request.
 *
 * @param state the current state (do not modify it: copy before changing)
 * @param arguments the evaluated inline arguments, in order
 * @param context the request context: flags, conditions, {@code $context}, completion callbacks
 */
public record StepInput(JsonNode state, List<JsonNode> arguments, RequestContext context) {

	/** Argument {@code index}, or {@code null} when not given. */
	public JsonNode argument(int index) {
		return (index < this.arguments.size()) ? this.arguments.get(index) : null;
	}

}
