package dev.webpipe.middleware;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import reactor.core.publisher.Mono;

/**
 * Time limits on work that runs at every request (an outbound call, an SQL statement, an {@code @async} task), kept
 * by one timer wheel (one daemon thread, ticking every 10 ms) rather than by Reactor's {@code timeout(Duration)}:
 * that one schedules each use on the parallel scheduler, a {@code ScheduledThreadPoolExecutor} whose queue every use
 * locks twice and whose threads it wakes, several microseconds of CPU per use under load against a fraction of one
 * here (docs/performance.md#what-was-changed-in-the-runtime-and-why). A limit may fire up to one tick late. When it
 * fires, the work is cancelled, as with Reactor's operator.
 */
public final class Timeouts {

	private Timeouts() {
	}

	/**
	 * The work, failing with a {@link TimeoutException} unless it emits (or completes) within {@code timeout}.
	 * @param name what the work is, for Reactor's descriptions (else {@code timeout()} describes its source at every
	 * subscription, walking the operators)
	 */
	public static <T> Mono<T> within(Mono<T> work, Duration timeout, String name) {
		return work.name(name).timeout(timer(timeout));
	}

	/**
	 * The work, or {@code fallback} in its place when it has not emitted (or completed) within {@code timeout}.
	 * @param name what the work is, as above
	 */
	public static <T> Mono<T> within(Mono<T> work, Duration timeout, String name, Mono<? extends T> fallback) {
		return work.name(name).timeout(timer(timeout), fallback);
	}

	private static Mono<Long> timer(Duration timeout) {
		long nanos = Math.max(timeout.toNanos(), 0);
		return Mono.create((sink) -> {
			io.netty.util.Timeout pending = Wheel.TIMER.newTimeout((fired) -> sink.success(0L), nanos,
					TimeUnit.NANOSECONDS);
			sink.onCancel(pending::cancel);
		});
	}

	/** The timer wheel, started on first use. */
	private static final class Wheel {

		static final HashedWheelTimer TIMER = new HashedWheelTimer(new DefaultThreadFactory("webpipe-timeouts", true),
				10, TimeUnit.MILLISECONDS, 512, false);

	}

}
