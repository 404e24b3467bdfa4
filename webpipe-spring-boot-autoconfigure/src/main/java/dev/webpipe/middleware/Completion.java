package dev.webpipe.middleware;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * What a completion callback learns when the response of a request is complete.
 *
 * @param status the HTTP status sent
 * @param body the response payload as JSON (after response assembly), or {@code null}
 * @param duration time from the start of the request
 */
public record Completion(int status, @Nullable JsonNode body, Duration duration) {
}
