package dev.webpipe.instrumentation;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How a run, a step or a task ended (docs/extending.md#instrumentation).
 *
 * @param errorType {@code null} on success, else the type of the typed error it ended with ({@code timeoutError}
 * for a task that timed out, {@code fatalError} for a run that failed without a typed error)
 * @param startNanos when it began, on the {@link System#nanoTime()} clock
 * @param endNanos when it ended, on the same clock
 * @param detached for a task: whether no join took its outcome (it was detached, or cancelled with its request);
 * {@code false} for runs and steps
 */
public record Outcome(@Nullable String errorType, long startNanos, long endNanos, boolean detached) {

	/** Whether it ended without a typed error. */
	public boolean success() {
		return this.errorType == null;
	}

	/** {@code success}, or the error type: the value of an {@code outcome} tag. */
	public String name() {
		return (this.errorType != null) ? this.errorType : "success";
	}

	public Duration duration() {
		return Duration.ofNanos(this.endNanos - this.startNanos);
	}

}
