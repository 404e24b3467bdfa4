package dev.webpipe.instrumentation;

/**
 * Returned by a {@code begin} call of {@link WebPipeInstrumentation}: told once how what began ended.
 * Called on whichever thread finished the work; must not block.
 */
@FunctionalInterface
public interface InstrumentationContext {

	/** A context that does nothing. */
	InstrumentationContext NOOP = (outcome) -> {
	};

	/** Called once, when the run, step or task ends. */
	void onEnd(Outcome outcome);

}
