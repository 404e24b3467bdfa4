package dev.webpipe.instrumentation;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * Sees every run, step and {@code @async} task of the requests it takes part in, in the shape of graphql-java's
 * {@code Instrumentation} (docs/extending.md#instrumentation): a {@code begin} call returns a context that is told
 * the end, the outcome (success or the typed error's type) and the start and end times. Every method has a
 * no-op default. Application beans of this type are picked up by the auto-configuration and called in their
 * {@code @Order}; with none, the runtime calls nothing.
 * <p>
 * An instrumentation takes part in a run when {@link #appliesTo(RunParameters)} says so; one that does not is
 * not called again for that run, so an instrumentation meant for a few requests costs the others nothing per
 * step. Calls may come from the concurrent tasks of one request.
 */
public interface WebPipeInstrumentation {

	/** Whether this instrumentation takes part in this run. */
	default boolean appliesTo(RunParameters parameters) {
		return true;
	}

	/** This instrumentation's state for a run it takes part in, handed to its other calls; may be {@code null}. */
	default @Nullable InstrumentationState createState(RunParameters parameters) {
		return null;
	}

	/** A run begins. */
	default InstrumentationContext beginRun(RunParameters parameters, @Nullable InstrumentationState state) {
		return InstrumentationContext.NOOP;
	}

	/** A middleware step begins (its tags held). */
	default InstrumentationContext beginStep(StepParameters parameters, @Nullable InstrumentationState state) {
		return InstrumentationContext.NOOP;
	}

	/**
	 * Wraps a step's execution: return {@code execution} to let the step run, or an execution of your own
	 * (a test's mock returns a result without calling it). The first instrumentation's wrapper is the outermost.
	 */
	default StepExecution instrumentStep(StepExecution execution, StepParameters parameters,
			@Nullable InstrumentationState state) {
		return execution;
	}

	/**
	 * A named pipeline is called.
	 * @return the final state to use instead of running the pipeline, or {@code null} to run it
	 */
	default @Nullable JsonNode replacePipeline(PipelineParameters parameters, @Nullable InstrumentationState state) {
		return null;
	}

	/**
	 * An {@code @async} task starts. Its context is told the end once the task ended and its fate is known:
	 * a join took its outcome, or it was detached ({@link Outcome#detached()}).
	 */
	default InstrumentationContext beginTask(TaskParameters parameters, @Nullable InstrumentationState state) {
		return InstrumentationContext.NOOP;
	}

	/**
	 * Whether the unhandled and fatal error responses of this run show every detail, whatever
	 * {@code webpipe.errors.include-details} says (the test runner's requests do).
	 */
	default boolean includesErrorDetails(@Nullable InstrumentationState state) {
		return false;
	}

	/** Several instrumentations as one, called in the order given. */
	static WebPipeInstrumentation compose(List<? extends WebPipeInstrumentation> instrumentations) {
		return new ChainedInstrumentation(instrumentations);
	}

}
