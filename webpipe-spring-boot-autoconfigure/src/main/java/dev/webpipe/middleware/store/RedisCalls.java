package dev.webpipe.middleware.store;

import java.time.Duration;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Bounds the calls of a Redis store (docs/scaling.md#when-redis-goes-away): each by the store timeout, and none
 * blocks the server's event loop. Spring Data Redis opens its shared connection synchronously, on the calling
 * thread, at the first call (and at every call until one succeeds); so until a call has succeeded, calls are
 * made from a thread that may block. Once one has, the connection exists for good (Lettuce reconnects it in
 * the background) and calls are made from the calling thread, without a thread switch. Thread-safe.
 */
public final class RedisCalls {

	private final Duration timeout;

	private volatile boolean connected;

	/** @param timeout the bound of every call ({@code webpipe.store.timeout}) */
	public RedisCalls(Duration timeout) {
		this.timeout = timeout;
	}

	/** {@code call}, failing with a {@link java.util.concurrent.TimeoutException} when it takes longer than the timeout. */
	public <T> Mono<T> bounded(Mono<T> call) {
		if (this.connected) {
			return call.timeout(this.timeout);
		}
		return call.subscribeOn(Schedulers.boundedElastic())
			.doOnSuccess((value) -> this.connected = true)
			.timeout(this.timeout);
	}

}
