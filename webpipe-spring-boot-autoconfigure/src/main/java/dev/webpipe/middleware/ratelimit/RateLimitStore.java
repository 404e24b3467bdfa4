package dev.webpipe.middleware.ratelimit;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Where {@code rateLimit} windows live (docs/middleware/rate-limit.md#stores). The {@link LocalRateLimitStore}
 * keeps them in this process; a store shared by several instances implements {@link #hit} atomically (one
 * script per request), and the middleware does not change.
 */
public interface RateLimitStore {

	/**
	 * Counts one request in the fixed window of {@code (scope, key)}: without a window, or after its end, a
	 * new window of {@code window} opens with count 1 and the request is allowed; inside it, the request is
	 * allowed while the count is below {@code limit}, and then counted.
	 * @param scope the step's scope, part of the key, or {@code null}
	 * @param key the rendered key
	 * @param limit the effective limit ({@code limit + burst})
	 * @param window the window length
	 * @return whether the request is allowed, the count after it and the time until the window ends
	 */
	Mono<Window> hit(@Nullable String scope, String key, long limit, Duration window);

	/** Bounds the number of windows kept, from {@code config rateLimit { maxEntries }}; a store bounded elsewhere ignores it. */
	default void setMaximumEntries(long entries) {
	}

	/**
	 * The outcome of one {@link RateLimitStore#hit}.
	 *
	 * @param allowed whether the request may go on
	 * @param count the window's count after this request ({@code -1} only in the window that
	 * {@code rateLimit} assumes when the store failed)
	 * @param remaining the time until the window ends
	 */
	record Window(boolean allowed, long count, Duration remaining) {
	}

}
