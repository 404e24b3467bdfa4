package dev.webpipe.test;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.webpipe.instrumentation.InstrumentationState;
import dev.webpipe.instrumentation.PipelineParameters;
import dev.webpipe.instrumentation.RunParameters;
import dev.webpipe.instrumentation.StepExecution;
import dev.webpipe.instrumentation.StepParameters;
import dev.webpipe.instrumentation.WebPipeInstrumentation;
import dev.webpipe.middleware.StepResult;

/**
 * The test runner's mocks and call log as an instrumentation (docs/testing.md): it takes part only in runs whose
 * Reactor context carries {@link Mocks#CONTEXT_KEY} (the runner's own requests), so other requests of the same
 * application cost it one context lookup and nothing per step. A mocked step's execution is replaced by its mock
 * value; a mocked pipeline's final state by its value; the runner's requests show every error detail.
 */
final class SpecInstrumentation implements WebPipeInstrumentation {

	@Override
	public boolean appliesTo(RunParameters parameters) {
		return parameters.reactorContext().hasKey(Mocks.CONTEXT_KEY);
	}

	@Override
	public InstrumentationState createState(RunParameters parameters) {
		return parameters.reactorContext().get(Mocks.CONTEXT_KEY);
	}

	@Override
	public StepExecution instrumentStep(StepExecution execution, StepParameters parameters,
			@Nullable InstrumentationState state) {
		StepResult mocked = ((Mocks) Objects.requireNonNull(state)).step(parameters);
		return (mocked != null) ? () -> Mono.just(mocked) : execution;
	}

	@Override
	public @Nullable JsonNode replacePipeline(PipelineParameters parameters, @Nullable InstrumentationState state) {
		return ((Mocks) Objects.requireNonNull(state)).pipeline(parameters.pipeline(), parameters.input());
	}

	@Override
	public boolean includesErrorDetails(@Nullable InstrumentationState state) {
		return true;
	}

}
