package dev.webpipe.instrumentation;

import org.jspecify.annotations.Nullable;

/**
 * An instrumentation that takes part in one run, with its state for that run: what the runtime keeps on a
 * request's context. A request that no instrumentation takes part in has none.
 *
 * @param instrumentation the instrumentation (possibly several {@linkplain WebPipeInstrumentation#compose composed})
 * @param state its state for the run
 */
public record ActiveInstrumentation(WebPipeInstrumentation instrumentation, @Nullable InstrumentationState state) {

	/**
	 * The instrumentation of a run, or {@code null} when {@code instrumentation} is {@code null} or does not take
	 * part in it.
	 */
	public static @Nullable ActiveInstrumentation begin(@Nullable WebPipeInstrumentation instrumentation,
			RunParameters parameters) {
		if (instrumentation == null || !instrumentation.appliesTo(parameters)) {
			return null;
		}
		return new ActiveInstrumentation(instrumentation, instrumentation.createState(parameters));
	}

	/**
	 * The state that {@code member} created for this run: the instrumentation itself or a member of a composed
	 * one; {@code null} when it takes no part in the run.
	 */
	public @Nullable InstrumentationState stateOf(WebPipeInstrumentation member) {
		if (member == this.instrumentation) {
			return this.state;
		}
		if (this.instrumentation instanceof ChainedInstrumentation && this.state != null) {
			return ChainedInstrumentation.stateOf(this.state, member);
		}
		return null;
	}

	/** Whether this run's error responses show every detail ({@link WebPipeInstrumentation#includesErrorDetails}). */
	public boolean includesErrorDetails() {
		return this.instrumentation.includesErrorDetails(this.state);
	}

}
