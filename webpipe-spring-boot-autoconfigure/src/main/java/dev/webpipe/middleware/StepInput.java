package dev.webpipe.middleware;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * What a step receives per request.
 *
 * @param state the current state (do not modify it: copy before changing)
 * @param arguments the evaluated inline arguments, in order
 * @param context what the step may see and do of its request: flags, conditions, {@code $context},
 * completion callbacks, cancellation
 */
public record StepInput(JsonNode state, List<JsonNode> arguments, StepContext context) {

	/** Argument {@code index}, or {@code null} when not given. */
	public @Nullable JsonNode argument(int index) {
		return (index < this.arguments.size()) ? this.arguments.get(index) : null;
	}

}
