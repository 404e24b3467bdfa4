package dev.webpipe.middleware;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Time limits on work that runs at every request (an outbound call, an SQL statement, an {@code @async} task), kept
 * by one timer wheel (one daemon thread, ticking every 10 ms) rather than by Reactor's {@code timeout(Duration)}:
 * that one schedules each use on the parallel scheduler, a {@code ScheduledThreadPoolExecutor} whose queue every use
 * locks twice and whose threads it wakes, several microseconds of CPU per use under load against a fraction of one
 * here (docs/performance.md#what-was-changed-in-the-runtime-and-why). A limit may fire up to one tick late. When it
 * fires, the work is cancelled, as with Reactor's operator.
 * <p>
 * A limit is one operator of its own: one subscriber that is also the wheel's task, rather than Reactor's
 * {@code timeout(Publisher)} fed by a {@code Mono.create} of the wheel's entry (five subscribers and sinks more per
 * use; docs/performance.md#fourth-profile).
 */
public final class Timeouts {

	private Timeouts() {
	}

	/**
	 * The work, failing with a {@link TimeoutException} unless it emits (or completes) within {@code timeout}.
	 * @param name what the work is, named in the exception's message
	 */
	public static <T> Mono<T> within(Mono<T> work, Duration timeout, String name) {
		return new Deadline<>(work, nanos(timeout), null,
				() -> new TimeoutException(name + " did not answer within " + timeout));
	}

	/**
	 * The work, or {@code fallback} in its place when it has not emitted (or completed) within {@code timeout}.
	 * @param name what the work is (kept for the callers' symmetry with the other form)
	 */
	public static <T> Mono<T> within(Mono<T> work, Duration timeout, String name, Mono<? extends T> fallback) {
		return new Deadline<>(work, nanos(timeout), fallback, null);
	}

	private static long nanos(Duration timeout) {
		return Math.max(timeout.toNanos(), 0);
	}

	/** The timer wheel, started on first use. */
	private static final class Wheel {

		static final HashedWheelTimer TIMER = new HashedWheelTimer(new DefaultThreadFactory("webpipe-timeouts", true),
				10, TimeUnit.MILLISECONDS, 512, false);

	}

	/** The work within a time limit; the limit starts when the work is subscribed. */
	private static final class Deadline<T> extends MonoOperator<T, T> {

		private final long nanos;

		private final @Nullable Mono<? extends T> fallback;

		private final @Nullable Supplier<? extends Throwable> error;

		Deadline(Mono<? extends T> work, long nanos, @Nullable Mono<? extends T> fallback,
				@Nullable Supplier<? extends Throwable> error) {
			super(work);
			this.nanos = nanos;
			this.fallback = fallback;
			this.error = error;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			this.source.subscribe(new DeadlineSubscriber<>(actual, this.nanos, this.fallback, this.error));
		}

	}

	/**
	 * The one subscriber of a limit. Whichever comes first wins its state: a signal of the work (then the wheel's
	 * entry is cancelled), the limit (then the work is cancelled and the fallback or the error takes its place), or
	 * the downstream's cancellation (then both are cancelled).
	 */
	private static final class DeadlineSubscriber<T> extends Operators.MonoSubscriber<T, T> implements TimerTask {

		private static final int RUNNING = 0;

		private static final int SIGNALLED = 1;

		private static final int TIMED_OUT = 2;

		private static final int CANCELLED = 3;

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<DeadlineSubscriber> PHASE = AtomicIntegerFieldUpdater
			.newUpdater(DeadlineSubscriber.class, "phase");

		private final long nanos;

		private final @Nullable Mono<? extends T> fallback;

		private final @Nullable Supplier<? extends Throwable> error;

		private volatile int phase;

		private @Nullable Subscription upstream;

		private volatile @Nullable Timeout pending;

		/** The fallback's subscription, once it replaced the work. */
		private volatile @Nullable Subscription replacement;

		DeadlineSubscriber(CoreSubscriber<? super T> actual, long nanos, @Nullable Mono<? extends T> fallback,
				@Nullable Supplier<? extends Throwable> error) {
			super(actual);
			this.nanos = nanos;
			this.fallback = fallback;
			this.error = error;
		}

		@Override
		public void onSubscribe(Subscription s) {
			if (Operators.validate(this.upstream, s)) {
				this.upstream = s;
				this.actual.onSubscribe(this);
				this.pending = Wheel.TIMER.newTimeout(this, this.nanos, TimeUnit.NANOSECONDS);
				if (this.phase != RUNNING) {
					// ended while the entry was being made (a synchronous source, or a cancellation)
					cancelTimer();
				}
				s.request(Long.MAX_VALUE);
			}
		}

		@Override
		public void onNext(T value) {
			if (PHASE.compareAndSet(this, RUNNING, SIGNALLED)) {
				cancelTimer();
				complete(value);
			}
			else if (this.phase == SIGNALLED) {
				// a second value of a source that is not a Mono: ignored as Mono.from would
				Operators.onDiscard(value, currentContext());
			}
			else {
				Operators.onNextDropped(value, currentContext());
			}
		}

		@Override
		public void onError(Throwable ex) {
			if (PHASE.compareAndSet(this, RUNNING, SIGNALLED)) {
				cancelTimer();
				this.actual.onError(ex);
			}
			else {
				Operators.onErrorDropped(ex, currentContext());
			}
		}

		@Override
		public void onComplete() {
			if (PHASE.compareAndSet(this, RUNNING, SIGNALLED)) {
				cancelTimer();
				this.actual.onComplete();
			}
		}

		/** The limit passed. */
		@Override
		public void run(Timeout timeout) {
			if (!PHASE.compareAndSet(this, RUNNING, TIMED_OUT)) {
				return;
			}
			Subscription work = this.upstream;
			if (work != null) {
				work.cancel();
			}
			if (this.fallback == null) {
				this.actual.onError((this.error != null) ? this.error.get() : new TimeoutException());
				return;
			}
			this.fallback.subscribe(new Replacement());
		}

		@Override
		public void cancel() {
			super.cancel();
			int was = this.phase;
			if (was == RUNNING && PHASE.compareAndSet(this, RUNNING, CANCELLED)) {
				cancelTimer();
				Subscription work = this.upstream;
				if (work != null) {
					work.cancel();
				}
			}
			else if (was == TIMED_OUT) {
				Subscription fallbackSubscription = this.replacement;
				if (fallbackSubscription != null) {
					fallbackSubscription.cancel();
				}
			}
			else if (was == SIGNALLED) {
				Subscription work = this.upstream;
				if (work != null) {
					work.cancel();
				}
			}
		}

		private void cancelTimer() {
			Timeout entry = this.pending;
			if (entry != null) {
				entry.cancel();
			}
		}

		@Override
		public @Nullable Object scanUnsafe(Attr key) {
			if (key == Attr.PARENT) {
				return this.upstream;
			}
			if (key == Attr.RUN_STYLE) {
				return Attr.RunStyle.SYNC;
			}
			return super.scanUnsafe(key);
		}

		/** What the fallback signals goes on to the downstream. */
		private final class Replacement implements CoreSubscriber<T> {

			private boolean emitted;

			@Override
			public Context currentContext() {
				return DeadlineSubscriber.this.currentContext();
			}

			@Override
			public void onSubscribe(Subscription s) {
				DeadlineSubscriber.this.replacement = s;
				if (isCancelled()) {
					s.cancel();
					return;
				}
				s.request(Long.MAX_VALUE);
			}

			@Override
			public void onNext(T value) {
				if (!this.emitted) {
					this.emitted = true;
					complete(value);
				}
			}

			@Override
			public void onError(Throwable ex) {
				DeadlineSubscriber.this.actual.onError(ex);
			}

			@Override
			public void onComplete() {
				if (!this.emitted) {
					DeadlineSubscriber.this.actual.onComplete();
				}
			}

		}

	}

}
