package dev.webpipe.middleware.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.store.DeadlineCache;

/**
 * The process-global rate-limit store (docs/middleware/rate-limit.md#stores): one fixed window per scope and
 * key in a Caffeine cache bounded by {@code maxEntries} (least recently used out first), each window dropped
 * when it ends on the given clock. Thread-safe; every operation completes at once.
 */
public final class LocalRateLimitStore implements RateLimitStore {

	/** The default of {@code config rateLimit { maxEntries }}. */
	static final long DEFAULT_MAX_ENTRIES = 10_000L;

	private final InstantSource clock;

	private final DeadlineCache<WindowKey, Counter> windows;

	public LocalRateLimitStore(InstantSource clock) {
		this.clock = clock;
		this.windows = DeadlineCache.ofSize(clock, Counter::end, DEFAULT_MAX_ENTRIES);
	}

	@Override
	public Mono<Window> hit(@Nullable String scope, String key, long limit, Duration window) {
		Instant now = this.clock.instant();
		boolean[] allowed = new boolean[1];
		Counter counter = this.windows.asMap().compute(new WindowKey(scope, key), (k, current) -> {
			if (current == null || !now.isBefore(current.end())) {
				allowed[0] = true;
				return new Counter(now.plus(window), 1);
			}
			if (current.count() < limit) {
				allowed[0] = true;
				return new Counter(current.end(), current.count() + 1);
			}
			allowed[0] = false;
			return current;
		});
		return Mono.just(new Window(allowed[0], counter.count(), Duration.between(now, counter.end())));
	}

	@Override
	public void setMaximumEntries(long entries) {
		this.windows.setMaximum(entries);
	}

	/** The number of windows held, after pending expirations and evictions. */
	public long size() {
		return this.windows.size();
	}

	/** Drops every window. */
	public void clear() {
		this.windows.clear();
	}

	private record WindowKey(@Nullable String scope, String key) {
	}

	private record Counter(Instant end, long count) {
	}

}
