package dev.webpipe.instrumentation;

/**
 * What one {@link WebPipeInstrumentation} keeps for one run, created by
 * {@link WebPipeInstrumentation#createState(RunParameters)} and handed back to each of its calls for that run
 * (docs/extending.md#instrumentation). A run's tasks share their run's state, so a state must be safe for
 * concurrent use.
 */
public interface InstrumentationState {

}
