package dev.webpipe.middleware.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code config cache { … }} (docs/middleware/cache.md#config-cache).
 *
 * @param enabled whether {@code cache} steps cache at all
 * @param defaultTtl seconds an entry stays fresh when a step sets no {@code ttl}
 * @param maxCacheSize bound of the sum of the entries' sizes (length of their JSON text), in bytes
 * @param maxEntrySize larger entries are not stored, in bytes
 * @param staleWhileRevalidate seconds an entry is served stale after its {@code ttl} while one request
 * refreshes it
 */
public record CacheSettings(boolean enabled, long defaultTtl, long maxCacheSize, long maxEntrySize,
		long staleWhileRevalidate) {

	/** The defaults: enabled, 60 s, 10 MiB, 1 MiB, 30 s. */
	public static final CacheSettings DEFAULTS = new CacheSettings(true, 60, LocalCacheStore.DEFAULT_MAX_CACHE_SIZE,
			1_048_576L, 30);

	/**
	 * The settings of a {@code config cache} block (its values may be JSON values or text), defaults for
	 * missing keys.
	 * @throws IllegalArgumentException naming the key whose value is invalid
	 */
	public static CacheSettings from(ObjectNode block) {
		return new CacheSettings(ConfigPairs.bool(block.get("enabled"), "enabled", DEFAULTS.enabled()),
				seconds(block, "defaultTtl", DEFAULTS.defaultTtl()),
				ConfigPairs.count(block.get("maxCacheSize"), "maxCacheSize", DEFAULTS.maxCacheSize()),
				ConfigPairs.count(block.get("maxEntrySize"), "maxEntrySize", DEFAULTS.maxEntrySize()),
				seconds(block, "staleWhileRevalidate", DEFAULTS.staleWhileRevalidate()));
	}

	static long seconds(ObjectNode block, String key, long fallback) {
		if (!block.hasNonNull(key)) {
			return fallback;
		}
		Long seconds = ConfigPairs.seconds(block.get(key));
		if (seconds == null) {
			throw new IllegalArgumentException("invalid value '" + block.get(key).asText() + "' for '" + key
					+ "' (seconds, or a number with ms, s, m, h or d)");
		}
		return seconds;
	}

}
