package dev.webpipe.middleware.ratelimit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.webpipe.middleware.cache.ConfigPairs;

/**
 * {@code config rateLimit { … }} (docs/middleware/rate-limit.md#config-ratelimit).
 *
 * @param maxEntries how many windows the local store keeps (least recently used out first)
 */
public record RateLimitSettings(long maxEntries) {

	/** The defaults: 10000 windows. */
	public static final RateLimitSettings DEFAULTS = new RateLimitSettings(LocalRateLimitStore.DEFAULT_MAX_ENTRIES);

	/**
	 * The settings of a {@code config rateLimit} block, defaults for missing keys.
	 * @throws IllegalArgumentException naming the key whose value is invalid
	 */
	public static RateLimitSettings from(ObjectNode block) {
		long maxEntries = ConfigPairs.count(block.get("maxEntries"), "maxEntries", DEFAULTS.maxEntries());
		if (maxEntries < 1) {
			throw new IllegalArgumentException("invalid value '0' for 'maxEntries' (1 or more)");
		}
		return new RateLimitSettings(maxEntries);
	}

}
