package dev.webpipe.middleware.cache;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import reactor.core.publisher.Mono;

/**
 * The process-global cache store (docs/middleware/cache.md#stores): a Caffeine cache bounded by the sum
 * of the entries' sizes ({@code maxCacheSize}, least recently used first out), each entry expiring at the
 * end of its stale period on the given clock. Thread-safe; every operation completes at once.
 */
public final class LocalCacheStore implements CacheStore {

	/** The default of {@code config cache { maxCacheSize }}. */
	public static final long DEFAULT_MAX_CACHE_SIZE = 10_485_760L;

	private final InstantSource clock;

	private final Cache<String, CacheEntry> entries;

	private final Cache<String, Instant> refreshers;

	public LocalCacheStore(InstantSource clock) {
		this.clock = clock;
		Ticker ticker = () -> nanos(clock.instant());
		this.entries = Caffeine.newBuilder()
			.ticker(ticker)
			.executor(Runnable::run)
			.maximumWeight(DEFAULT_MAX_CACHE_SIZE)
			.weigher((String key, CacheEntry entry) -> entry.size() + key.length())
			.expireAfter(new Expiry<String, CacheEntry>() {
				@Override
				public long expireAfterCreate(String key, CacheEntry entry, long currentTime) {
					return Math.max(0, nanos(entry.staleUntil()) - currentTime);
				}

				@Override
				public long expireAfterUpdate(String key, CacheEntry entry, long currentTime, long currentDuration) {
					return expireAfterCreate(key, entry, currentTime);
				}

				@Override
				public long expireAfterRead(String key, CacheEntry entry, long currentTime, long currentDuration) {
					return currentDuration;
				}
			})
			.build();
		// a slot whose holder went away without releasing it is taken over after its hold; this drops it later
		this.refreshers = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run)
			.expireAfterWrite(Duration.ofMinutes(10))
			.build();
	}

	@Override
	public Mono<CacheEntry> get(String key) {
		CacheEntry entry = this.entries.getIfPresent(key);
		if (entry != null && !this.clock.instant().isBefore(entry.staleUntil())) {
			this.entries.asMap().remove(key, entry);
			entry = null;
		}
		return Mono.justOrEmpty(entry);
	}

	@Override
	public Mono<Void> put(String key, CacheEntry entry) {
		this.entries.put(key, entry);
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
		this.entries.policy().eviction().ifPresent((eviction) -> eviction.setMaximum(bytes));
	}

	/** The number of entries held, after pending expirations and evictions. */
	public long size() {
		this.entries.cleanUp();
		return this.entries.estimatedSize();
	}

	/** Drops every entry and refresher slot. */
	public void clear() {
		this.entries.invalidateAll();
		this.refreshers.invalidateAll();
	}

	private static long nanos(Instant instant) {
		return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
	}

}
