package dev.webpipe.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.middleware.Json;

/**
 * The outcome of a pipeline run.
 *
 * @param state the final state
 * @param status the status of the last selected {@code result} branch (or a step), or {@code null}
 * @param contentType the content type set in the run, or {@code null} for the JSON default
 * @param ended whether a step ended the run early ({@code result}, a cache hit)
 */
public record RunResult(JsonNode state, @Nullable Integer status, @Nullable String contentType, boolean ended) {

	/**
	 * The outcome of the enclosing run once this nested run (a pipeline call, a {@code result} or
	 * {@code if}/{@code dispatch} branch) has finished: its status, else {@code outerStatus}; its content
	 * type unless JSON, else {@code outerContentType} (docs/runtime.md#the-response).
	 */
	RunResult inside(JsonNode next, @Nullable Integer outerStatus, @Nullable String outerContentType, boolean ended) {
		Integer status = (this.status != null) ? this.status : outerStatus;
		String type = Json.isJsonType(this.contentType) ? outerContentType : this.contentType;
		return new RunResult(next, status, type, ended);
	}

	RunResult withState(JsonNode next) {
		return new RunResult(next, this.status, this.contentType, this.ended);
	}

}
