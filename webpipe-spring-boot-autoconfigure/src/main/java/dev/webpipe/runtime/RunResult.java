package dev.webpipe.runtime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The outcome of a pipeline run.
 *
 * @param state the final state
 * @param status the status of the last selected {@code result} branch (or a step), or {@code null}
 * @param contentType the content type set in the run, or {@code null} for the JSON default
 * @param ended whether a step ended the run early ({@code result}, a cache hit)
 */
public record RunResult(JsonNode state, Integer status, String contentType, boolean ended) {

	RunResult withState(JsonNode next) {
		return new RunResult(next, this.status, this.contentType, this.ended);
	}

}
