package dev.webpipe.middleware.cache;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.middleware.store.ConfigPairs;

/**
 * {@code config cache { … }} (docs/middleware/cache.md#config-cache), bound once at load time: a value may be
 * a JSON value or its text (a {@code webpipe.config.cache.*} property), a duration may carry a unit; a value
 * that does not convert is a load-time error at its key.
 *
 * @param enabled whether {@code cache} steps cache at all
 * @param defaultTtl seconds an entry stays fresh when a step sets no {@code ttl}
 * @param maxCacheSize bound of the sum of the entries' sizes (length of their JSON text), in bytes
 * @param maxEntrySize larger entries are not stored, in bytes
 * @param staleWhileRevalidate seconds an entry is served stale after its {@code ttl} while one request
 * refreshes it
 */
record CacheSettings(boolean enabled, long defaultTtl, long maxCacheSize, long maxEntrySize,
		long staleWhileRevalidate) {

	/** The defaults: enabled, 60 s, 10 MiB, 1 MiB, 30 s. */
	static final CacheSettings DEFAULTS = new CacheSettings(true, 60, LocalCacheStore.DEFAULT_MAX_CACHE_SIZE,
			1_048_576L, 30);

	/** Binds the block's values; a key left out takes its default. */
	@JsonCreator
	static CacheSettings bind(@JsonProperty("enabled") @Nullable JsonNode enabled,
			@JsonProperty("defaultTtl") @Nullable JsonNode defaultTtl,
			@JsonProperty("maxCacheSize") @Nullable JsonNode maxCacheSize,
			@JsonProperty("maxEntrySize") @Nullable JsonNode maxEntrySize,
			@JsonProperty("staleWhileRevalidate") @Nullable JsonNode staleWhileRevalidate) {
		return new CacheSettings(ConfigPairs.bool(enabled, "enabled", DEFAULTS.enabled()),
				ConfigPairs.seconds(defaultTtl, "defaultTtl", DEFAULTS.defaultTtl()),
				ConfigPairs.count(maxCacheSize, "maxCacheSize", DEFAULTS.maxCacheSize()),
				ConfigPairs.count(maxEntrySize, "maxEntrySize", DEFAULTS.maxEntrySize()),
				ConfigPairs.seconds(staleWhileRevalidate, "staleWhileRevalidate", DEFAULTS.staleWhileRevalidate()));
	}

}
