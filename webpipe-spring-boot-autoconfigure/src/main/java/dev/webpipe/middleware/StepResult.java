package dev.webpipe.middleware;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one step execution.
 *
 * @param output the middleware output (for middleware that place a result, the result value)
 * @param errors typed errors ({@code {type, message, …}}) when the step failed in an expected
 * way (a domain error); {@code null} on success
 * @param status an HTTP status the step sets, or {@code null}
 * @param contentType a content type the step sets, or {@code null}
 * @param endPipeline whether the pipeline run containing the step ends here (a cache hit); a
 * {@link Behavior#READ_ONLY} step that ends the run with an output makes that output the run's final state
 * (a cache hit replays the cached state, docs/middleware/cache.md)
 * @param runEnd called when the pipeline run containing the step ends, or {@code null}
 */
public record StepResult(@Nullable JsonNode output, @Nullable List<ObjectNode> errors, @Nullable Integer status,
		@Nullable String contentType, boolean endPipeline, @Nullable RunEnd runEnd) {

	public StepResult(@Nullable JsonNode output, @Nullable List<ObjectNode> errors, @Nullable Integer status,
			@Nullable String contentType, boolean endPipeline) {
		this(output, errors, status, contentType, endPipeline, null);
	}

	public static StepResult of(@Nullable JsonNode output) {
		return new StepResult(output, null, null, null, false);
	}

	/** A domain error: the state before the step gets {@code errors} set to these. */
	public static StepResult failure(List<ObjectNode> errors) {
		return new StepResult(null, List.copyOf(errors), null, null, false);
	}

	public static StepResult failure(ObjectNode error) {
		return failure(List.of(error));
	}

	public boolean failed() {
		return this.errors != null;
	}

	/** This result, with {@code callback} to run when the pipeline run containing the step ends. */
	public StepResult whenRunEnds(RunEnd callback) {
		return new StepResult(this.output, this.errors, this.status, this.contentType, this.endPipeline, callback);
	}

}
