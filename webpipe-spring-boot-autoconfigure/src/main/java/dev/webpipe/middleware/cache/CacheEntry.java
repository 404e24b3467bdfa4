package dev.webpipe.middleware.cache;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * One cached pipeline result (docs/middleware/cache.md): the final state of the run, its status and
 * content type, fresh until {@code freshUntil}, then served stale while one request refreshes it, until
 * {@code staleUntil}, when the store drops it.
 *
 * @param state the run's final state (never modified once stored)
 * @param status the run's status, or {@code null} when it set none
 * @param contentType the run's content type, or {@code null} for the JSON default
 * @param freshUntil end of the fresh period
 * @param staleUntil end of the stale period: the entry expires then
 * @param size the length of the state's JSON text, what the entry weighs against {@code maxCacheSize}
 */
public record CacheEntry(JsonNode state, @Nullable Integer status, @Nullable String contentType, Instant freshUntil,
		Instant staleUntil, int size) {
}
