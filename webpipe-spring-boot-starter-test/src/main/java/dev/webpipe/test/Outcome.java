package dev.webpipe.test;

import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * What a test's assertions look at (docs/testing.md#what-a-test-runs).
 *
 * @param status the HTTP status, or the status of a selected {@code result} branch, else 200
 * @param contentType the media type without parameters, lower-cased, or {@code null} when none
 * @param output the body (parsed when JSON), the final state or the step's value
 * @param headers a header's value by name (case-insensitive), several values joined with
 * {@code "; "}, or {@code null} when missing
 */
record Outcome(int status, @Nullable String contentType, JsonNode output,
		Function<String, @Nullable String> headers) {
}
