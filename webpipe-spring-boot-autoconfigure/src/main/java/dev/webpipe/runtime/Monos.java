package dev.webpipe.runtime;

import org.jspecify.annotations.Nullable;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

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

}
