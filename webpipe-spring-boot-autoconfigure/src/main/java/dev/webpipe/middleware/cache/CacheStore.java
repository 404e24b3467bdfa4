package dev.webpipe.middleware.cache;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Where {@code cache} entries and their refresher slots live (docs/middleware/cache.md#stores). The
 * {@link LocalCacheStore} keeps them in this process; a store shared by several instances implements the
 * same operations, and the middleware does not change. Operations of a local store complete at once
 * ({@code Mono.just}/{@code Mono.empty}), which keeps a cache hit on the synchronous path of the runtime.
 */
public interface CacheStore {

	/** The entry under {@code key}, or empty when there is none or it expired. */
	Mono<CacheEntry> get(String key);

	/** Stores {@code entry} under {@code key} until its {@link CacheEntry#staleUntil() stale deadline}. */
	Mono<Void> put(String key, CacheEntry entry);

	/**
	 * Takes the refresher slot of {@code key}: {@code true} when no other request holds it, or when the request
	 * holding it took it {@code hold} ago or longer (it is then taken over); {@code false} otherwise.
	 */
	Mono<Boolean> tryRefresh(String key, Duration hold);

	/** Releases the refresher slot of {@code key} taken by {@link #tryRefresh(String, Duration)}. */
	Mono<Void> releaseRefresh(String key);

	/**
	 * Bounds the total size of the entries (the sum of {@link CacheEntry#size()}), from {@code config cache
	 * { maxCacheSize }}. A store whose size is bounded elsewhere ignores it.
	 */
	default void setMaximumSize(long bytes) {
	}

}
