package dev.webpipe.runtime;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;

/** Helpers for the synchronous fast paths of the runtime. */
public final class Monos {

	private Monos() {
	}

	/**
	 * The value of a {@code Mono} that already holds one (such as {@code Mono.just}), else
	 * {@code null}: lets a caller continue in a plain loop instead of adding an operator.
	 */
	@SuppressWarnings("unchecked")
	public static <T> @Nullable T now(Mono<T> mono) {
		if (mono instanceof Fuseable.ScalarCallable<?> scalar) {
			try {
				return (T) scalar.call();
			}
			catch (Exception ex) {
				return null;
			}
		}
		return null;
	}

	/**
	 * The one value that the work's outcome turns into: {@code onValue} of its value, or of {@code null} when it
	 * completes without one, or {@code onError} of its error. One operator where {@code map}, {@code onErrorResume}
	 * and {@code switchIfEmpty} (or {@code materialize} and {@code map}) would be two or three, each with its
	 * subscriber (docs/performance.md#fourth-profile). A function that throws fails the result with its exception.
	 */
	public static <T, R> Mono<R> settle(Mono<T> work, Function<? super @Nullable T, ? extends R> onValue,
			Function<? super Throwable, ? extends R> onError) {
		return new Settle<>(work, onValue, onError);
	}

	private static final class Settle<T, R> extends MonoOperator<T, R> {

		private final Function<? super @Nullable T, ? extends R> onValue;

		private final Function<? super Throwable, ? extends R> onError;

		Settle(Mono<T> work, Function<? super @Nullable T, ? extends R> onValue,
				Function<? super Throwable, ? extends R> onError) {
			super(work);
			this.onValue = onValue;
			this.onError = onError;
		}

		@Override
		public void subscribe(CoreSubscriber<? super R> actual) {
			this.source.subscribe(new SettleSubscriber<>(actual, this.onValue, this.onError));
		}

	}

	private static final class SettleSubscriber<T, R> extends Operators.MonoSubscriber<T, R> {

		private final Function<? super @Nullable T, ? extends R> onValue;

		private final Function<? super Throwable, ? extends R> onError;

		private @Nullable Subscription upstream;

		private boolean done;

		SettleSubscriber(CoreSubscriber<? super R> actual, Function<? super @Nullable T, ? extends R> onValue,
				Function<? super Throwable, ? extends R> onError) {
			super(actual);
			this.onValue = onValue;
			this.onError = onError;
		}

		@Override
		public void onSubscribe(Subscription s) {
			if (Operators.validate(this.upstream, s)) {
				this.upstream = s;
				this.actual.onSubscribe(this);
				s.request(Long.MAX_VALUE);
			}
		}

		@Override
		public void onNext(T value) {
			if (this.done) {
				Operators.onNextDropped(value, currentContext());
				return;
			}
			this.done = true;
			R result;
			try {
				result = this.onValue.apply(value);
			}
			catch (Throwable ex) {
				this.actual.onError(Operators.onOperatorError(this.upstream, ex, value, currentContext()));
				return;
			}
			complete(result);
		}

		@Override
		public void onError(Throwable error) {
			if (this.done) {
				Operators.onErrorDropped(error, currentContext());
				return;
			}
			this.done = true;
			R result;
			try {
				result = this.onError.apply(error);
			}
			catch (Throwable ex) {
				this.actual.onError(Operators.onOperatorError(ex, currentContext()));
				return;
			}
			complete(result);
		}

		@Override
		public void onComplete() {
			if (this.done) {
				return;
			}
			this.done = true;
			R result;
			try {
				result = this.onValue.apply(null);
			}
			catch (Throwable ex) {
				this.actual.onError(Operators.onOperatorError(ex, currentContext()));
				return;
			}
			complete(result);
		}

		@Override
		public void cancel() {
			super.cancel();
			Subscription s = this.upstream;
			if (s != null) {
				s.cancel();
			}
		}

		@Override
		public @Nullable Object scanUnsafe(Attr key) {
			if (key == Attr.PARENT) {
				return this.upstream;
			}
			if (key == Attr.TERMINATED) {
				return this.done;
			}
			if (key == Attr.RUN_STYLE) {
				return Attr.RunStyle.SYNC;
			}
			return super.scanUnsafe(key);
		}

	}

}
