package dev.webpipe.middleware.store;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.Weigher;

/**
 * What the local stores of {@code cache} and {@code rateLimit} share (docs/middleware/cache.md#stores,
 * docs/middleware/rate-limit.md#stores): a Caffeine cache on the store's clock in which each value is
 * dropped at the deadline it carries, bounded by a maximum (of values, or of their weights) that a
 * {@code config} block may change, least recently used out first. Maintenance runs on the calling thread,
 * so every operation completes at once. Thread-safe.
 *
 * @param <K> the keys
 * @param <V> the values
 */
public final class DeadlineCache<K, V> {

	private final Cache<K, V> cache;

	private DeadlineCache(Cache<K, V> cache) {
		this.cache = cache;
	}

	/**
	 * A cache of at most {@code maximumSize} values.
	 * @param clock the time that decides when a value's deadline has passed
	 * @param deadline the instant at which a value is dropped
	 */
	public static <K, V> DeadlineCache<K, V> ofSize(InstantSource clock, Function<? super V, Instant> deadline,
			long maximumSize) {
		return new DeadlineCache<>(DeadlineCache.<K, V>builder(clock, deadline).maximumSize(maximumSize).build());
	}

	/**
	 * A cache whose values weigh at most {@code maximumWeight} together.
	 * @param clock the time that decides when a value's deadline has passed
	 * @param deadline the instant at which a value is dropped
	 * @param weigher the weight of one value
	 */
	public static <K, V> DeadlineCache<K, V> ofWeight(InstantSource clock, Function<? super V, Instant> deadline,
			long maximumWeight, Weigher<? super K, ? super V> weigher) {
		return new DeadlineCache<>(
				DeadlineCache.<K, V>builder(clock, deadline).maximumWeight(maximumWeight).weigher(weigher).build());
	}

	private static <K, V> Caffeine<K, V> builder(InstantSource clock, Function<? super V, Instant> deadline) {
		return Caffeine.newBuilder().ticker(ticker(clock)).executor(Runnable::run).expireAfter(new Expiry<K, V>() {
			@Override
			public long expireAfterCreate(K key, V value, long currentTime) {
				return Math.max(0, nanos(deadline.apply(value)) - currentTime);
			}

			@Override
			public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
				return expireAfterCreate(key, value, currentTime);
			}

			@Override
			public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
				return currentDuration;
			}
		});
	}

	/** Caffeine's time, read from {@code clock} (so that tests move it forward). */
	public static Ticker ticker(InstantSource clock) {
		return () -> nanos(clock.instant());
	}

	private static long nanos(Instant instant) {
		return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
	}

	/** The values by key, for atomic updates ({@code compute}, {@code remove(key, value)}). */
	public ConcurrentMap<K, V> asMap() {
		return this.cache.asMap();
	}

	/** Changes the bound given at creation (of values, or of their weights). */
	public void setMaximum(long maximum) {
		this.cache.policy().eviction().ifPresent((eviction) -> eviction.setMaximum(maximum));
	}

	/** The number of values held, after pending expirations and evictions. */
	public long size() {
		this.cache.cleanUp();
		return this.cache.estimatedSize();
	}

	/** Drops every value. */
	public void clear() {
		this.cache.invalidateAll();
	}

}
