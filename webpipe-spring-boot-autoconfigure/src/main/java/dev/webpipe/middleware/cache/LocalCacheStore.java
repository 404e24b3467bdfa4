package dev.webpipe.middleware.cache;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.store.DeadlineCache;

/**
 * The process-global cache store (docs/middleware/cache.md#stores): a Caffeine cache bounded by the sum
 * of the entries' sizes ({@code maxCacheSize}, least recently used first out), each entry expiring at the
 * end of its stale period on the given clock. Thread-safe; every operation completes at once.
 */
public final class LocalCacheStore implements CacheStore {

	/** The default of {@code config cache { maxCacheSize }}. */
	static final long DEFAULT_MAX_CACHE_SIZE = 10_485_760L;

	private final InstantSource clock;

	private final DeadlineCache<String, CacheEntry> entries;

	private final Cache<String, Instant> refreshers;

	public LocalCacheStore(InstantSource clock) {
		this.clock = clock;
		this.entries = DeadlineCache.ofWeight(clock, CacheEntry::staleUntil, DEFAULT_MAX_CACHE_SIZE,
				(String key, CacheEntry entry) -> entry.size() + key.length());
		// a slot whose holder went away without releasing it is taken over after its hold; this drops it later
		this.refreshers = Caffeine.newBuilder().ticker(DeadlineCache.ticker(clock)).executor(Runnable::run)
			.expireAfterWrite(Duration.ofMinutes(10))
			.build();
	}

	@Override
	public Mono<CacheEntry> get(String key) {
		CacheEntry entry = this.entries.asMap().get(key);
		if (entry != null && !this.clock.instant().isBefore(entry.staleUntil())) {
			this.entries.asMap().remove(key, entry);
			entry = null;
		}
		return Mono.justOrEmpty(entry);
	}

	@Override
	public Mono<Void> put(String key, CacheEntry entry) {
		this.entries.asMap().put(key, entry);
		return Mono.empty();
	}

	@Override
	public Mono<Boolean> tryRefresh(String key, Duration hold) {
		Instant now = this.clock.instant();
		boolean[] taken = new boolean[1];
		this.refreshers.asMap().compute(key, (k, started) -> {
			taken[0] = started == null || !now.isBefore(started.plus(hold));
			return taken[0] ? now : started;
		});
		return Mono.just(taken[0]);
	}

	@Override
	public Mono<Void> releaseRefresh(String key) {
		this.refreshers.invalidate(key);
		return Mono.empty();
	}

	@Override
	public void setMaximumSize(long bytes) {
		this.entries.setMaximum(bytes);
	}

	/** The number of entries held, after pending expirations and evictions. */
	public long size() {
		return this.entries.size();
	}

	/** Drops every entry and refresher slot. */
	public void clear() {
		this.entries.clear();
		this.refreshers.invalidateAll();
	}

}
