package dev.webpipe.middleware.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.webpipe.middleware.Errors;

/**
 * Failed calls of {@code cache} and {@code rateLimit} to their store (docs/scaling.md#when-redis-goes-away): each
 * is counted ({@link #count()}, the metric {@code webpipe.store.failures}), and one WARN is logged at most once a
 * minute, however many requests fail meanwhile. The middleware decides what a failure means for the request
 * (a cache miss that stores nothing; {@code rateLimit} per {@code webpipe.rate-limit.on-store-failure}).
 * Thread-safe.
 */
public final class StoreFailures {

	/** At most one WARN per this period. */
	static final Duration WARN_PERIOD = Duration.ofMinutes(1);

	private static final Logger logger = LoggerFactory.getLogger(StoreFailures.class);

	private final AtomicLong failures = new AtomicLong();

	/** {@link System#nanoTime()} of the last WARN, or {@code Long.MIN_VALUE} before the first. */
	private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE);

	private final LongSupplier nanoTime;

	private final String rateLimitOutcome;

	/** @param denyRateLimits whether {@code rateLimit} refuses requests while the store fails (for the WARN's text) */
	public StoreFailures(boolean denyRateLimits) {
		this(denyRateLimits, System::nanoTime);
	}

	StoreFailures(boolean denyRateLimits, LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
		this.rateLimitOutcome = denyRateLimits ? "refuse" : "allow";
	}

	/**
	 * Counts one failed call and logs a WARN when none was logged in the last minute.
	 * @param operation what was asked of the store ({@code "cache lookup"}, {@code "rate-limit count"}, …)
	 * @param error why it failed
	 */
	public void record(String operation, Throwable error) {
		long total = this.failures.incrementAndGet();
		long now = this.nanoTime.getAsLong();
		long last = this.lastWarning.get();
		if (last != Long.MIN_VALUE && now - last < WARN_PERIOD.toNanos()) {
			return;
		}
		if (!this.lastWarning.compareAndSet(last, now)) {
			return;
		}
		logger.warn("webpipe: the cache and rate-limit store failed ({}: {}); cache steps run as misses and store "
				+ "nothing, rateLimit steps {} requests until it answers again ({} failed calls so far; this warning "
				+ "repeats at most once a minute)", operation, describe(error), this.rateLimitOutcome, total);
	}

	/** The number of failed calls since start-up. */
	public long count() {
		return this.failures.get();
	}

	private static String describe(Throwable error) {
		if (error instanceof java.util.concurrent.TimeoutException) {
			return "no answer within webpipe.store.timeout";
		}
		return Errors.plainMessage(error);
	}

}
