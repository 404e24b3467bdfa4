package dev.webpipe.observation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import dev.webpipe.instrumentation.InstrumentationContext;
import dev.webpipe.instrumentation.InstrumentationState;
import dev.webpipe.instrumentation.Outcome;
import dev.webpipe.instrumentation.RunParameters;
import dev.webpipe.instrumentation.StepParameters;
import dev.webpipe.language.SourceLocation;
import dev.webpipe.language.Span;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.runtime.RequestContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts of {@link ObservationInstrumentation} made once per step rather than per observation
 * (docs/performance.md#third-profile), and the hand-over of a step's observation from its begin to its execution
 * when steps of concurrent tasks begin at once. Over HTTP, {@code ObservationsHttpTest} covers the rest.
 */
class ObservationInstrumentationTest {

	private final List<StepObservationContext> started = new ArrayList<>();

	private final ObservationRegistry registry = registry(this.started);

	private final ObservationInstrumentation instrumentation = new ObservationInstrumentation(this.registry);

	private final DefaultStepObservationConvention convention = new DefaultStepObservationConvention();

	@Test
	void theKeysOfAStepAreMadeOnceAndAreThoseOfItsContext() {
		SourceLocation location = new SourceLocation("routes/users.wp", new Span(12, 3, 12, 20));
		StepObservationContext first = begin(location, "GET /users/:id");
		StepObservationContext second = begin(location, "GET /users/:id");
		assertThat(this.convention.getLowCardinalityKeyValues(second))
			.isSameAs(this.convention.getLowCardinalityKeyValues(first))
			.isEqualTo(expectedLow("GET /users/:id", "jq", "success"));
		assertThat(this.convention.getHighCardinalityKeyValues(second))
			.isSameAs(this.convention.getHighCardinalityKeyValues(first))
			.isEqualTo(KeyValues.of("location", "routes/users.wp:12"));
		assertThat(this.convention.getContextualName(second)).isEqualTo("jq routes/users.wp:12")
			.isSameAs(this.convention.getContextualName(first));
		first.setOutcome("validationError");
		assertThat(this.convention.getLowCardinalityKeyValues(first))
			.isEqualTo(expectedLow("GET /users/:id", "jq", "validationError"));
		StepObservationContext otherRoute = begin(location, "GET /admins/:id");
		assertThat(this.convention.getLowCardinalityKeyValues(otherRoute))
			.isEqualTo(expectedLow("GET /admins/:id", "jq", "success"));
	}

	@Test
	void eachStepRunsInItsOwnObservationWhenStepsOfConcurrentTasksBeginTogether() {
		InstrumentationState state = this.instrumentation.createState(run("GET /dashboard"));
		List<StepParameters> steps = new ArrayList<>();
		List<InstrumentationContext> ends = new ArrayList<>();
		for (int line = 1; line <= 3; line++) {
			StepParameters step = step("GET /dashboard", new SourceLocation("routes/dashboard.wp", new Span(line, 1,
					line, 9)));
			steps.add(step);
			ends.add(this.instrumentation.beginStep(step, state));
		}
		for (int i = steps.size() - 1; i >= 0; i--) {
			Observation[] current = new Observation[1];
			this.instrumentation.instrumentStep(() -> Mono.deferContextual((view) -> {
				current[0] = view.get(ObservationInstrumentation.CURRENT);
				return Mono.just(StepResult.of(Json.NODES.nullNode()));
			}), steps.get(i), state).execute().block();
			assertThat(((StepObservationContext) current[0].getContext()).getLocation())
				.isEqualTo("routes/dashboard.wp:" + (i + 1));
			ends.get(i).onEnd(new Outcome(null, 0, 1, false));
		}
	}

	private StepObservationContext begin(SourceLocation location, String route) {
		InstrumentationState state = this.instrumentation.createState(run(route));
		this.instrumentation.beginStep(step(route, location), state);
		return this.started.get(this.started.size() - 1);
	}

	private static RunParameters run(String route) {
		return new RunParameters(route, Json.NODES.objectNode(), Context.empty(), System.nanoTime(), false);
	}

	private static StepParameters step(String route, SourceLocation location) {
		RequestContext context = RequestContext.create(Json.NODES.objectNode(), route, null, Set.of());
		return new StepParameters(route, "jq", location, null, Json.NODES.objectNode(), null, null, context,
				context.startNanos());
	}

	private static KeyValues expectedLow(String route, String middleware, String outcome) {
		return new DefaultStepObservationConvention()
			.getLowCardinalityKeyValues(copy(route, middleware, outcome));
	}

	private static StepObservationContext copy(String route, String middleware, String outcome) {
		StepObservationContext context = new StepObservationContext(route, middleware, "any", null);
		context.setOutcome(outcome);
		return context;
	}

	private static ObservationRegistry registry(List<StepObservationContext> started) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<StepObservationContext>() {

			@Override
			public void onStart(StepObservationContext context) {
				started.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof StepObservationContext;
			}

		});
		return registry;
	}

}
