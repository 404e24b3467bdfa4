package dev.webpipe.middleware.ratelimit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.middleware.ConfigBlock;
import dev.webpipe.middleware.store.ConfigPairs;

/**
 * {@code config rateLimit { … }} (docs/middleware/rate-limit.md#config-ratelimit), bound once at load time; a
 * value that does not convert is a load-time error at its key.
 *
 * @param maxEntries how many windows the local store keeps (least recently used out first)
 */
record RateLimitSettings(long maxEntries) {

	/** Binds the block's values; a key left out takes its default (10000 windows). */
	@JsonCreator
	static RateLimitSettings bind(@JsonProperty("maxEntries") @Nullable JsonNode maxEntries) {
		long entries = ConfigPairs.count(maxEntries, "maxEntries", LocalRateLimitStore.DEFAULT_MAX_ENTRIES);
		if (entries < 1) {
			throw new ConfigBlock.InvalidValueException("maxEntries",
					"invalid value '0' for 'maxEntries' (1 or more)");
		}
		return new RateLimitSettings(entries);
	}

}
