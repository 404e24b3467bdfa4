package dev.webpipe.observation;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import dev.webpipe.instrumentation.InstrumentationContext;
import dev.webpipe.instrumentation.InstrumentationState;
import dev.webpipe.instrumentation.RunParameters;
import dev.webpipe.instrumentation.StepExecution;
import dev.webpipe.instrumentation.StepParameters;
import dev.webpipe.instrumentation.TaskParameters;
import dev.webpipe.instrumentation.WebPipeInstrumentation;
import dev.webpipe.language.SourceLocation;
import dev.webpipe.middleware.StepResult;

/**
 * Micrometer observations of steps and {@code @async} tasks, as an instrumentation
 * (docs/operations.md#metrics-and-traces): a {@code webpipe.step} observation per middleware step and a
 * {@code webpipe.task} observation per task, children of the observation the run's Reactor context carries (the
 * request's, which WebFlux puts there) or, for the steps of a task, of the task's. While a step's work runs, its
 * observation is the current one of its Reactor context, so the {@code http.client.requests} of a {@code fetch} step
 * are its children. Takes part in no run while the registry is a no-op or both observations are disabled
 * ({@code management.observations.enable.webpipe=false}).
 */
public final class ObservationInstrumentation implements WebPipeInstrumentation {

	/**
	 * The Reactor context key of the current observation (Micrometer's {@code ObservationThreadLocalAccessor.KEY}), where WebFlux
	 * puts the request's and the {@code WebClient} looks for its parent.
	 */
	static final String CURRENT = "micrometer.observation";

	private final ObservationRegistry registry;

	private final StepObservationConvention stepConvention;

	private final TaskObservationConvention taskConvention;

	/**
	 * @param registry the application's observation registry
	 * @param stepConvention the convention of {@code webpipe.step} (a global convention of the registry that
	 * supports the context wins over it, as for Spring's own observations)
	 * @param taskConvention the convention of {@code webpipe.task}
	 */
	public ObservationInstrumentation(ObservationRegistry registry, StepObservationConvention stepConvention,
			TaskObservationConvention taskConvention) {
		this.registry = registry;
		this.stepConvention = stepConvention;
		this.taskConvention = taskConvention;
	}

	/** With the default conventions. */
	public ObservationInstrumentation(ObservationRegistry registry) {
		this(registry, new DefaultStepObservationConvention(), new DefaultTaskObservationConvention());
	}

	@Override
	public boolean appliesTo(RunParameters parameters) {
		if (this.registry.isNoop()) {
			return false;
		}
		// the registry's predicates (Boot's management.observations.enable.*) make a disabled observation a no-op
		return !Observation.createNotStarted(Objects.requireNonNull(this.stepConvention.getName()),
				() -> new StepObservationContext(parameters.route(), "", "", null), this.registry).isNoop()
				|| !Observation.createNotStarted(Objects.requireNonNull(this.taskConvention.getName()),
						() -> new TaskObservationContext(parameters.route(), "", ""), this.registry).isNoop();
	}

	@Override
	public InstrumentationState createState(RunParameters parameters) {
		return new Run(parent(parameters.reactorContext()));
	}

	@Override
	public InstrumentationContext beginStep(StepParameters parameters, @Nullable InstrumentationState state) {
		Run run = (Run) Objects.requireNonNull(state);
		String task = parameters.context().task();
		StepObservationContext context = new StepObservationContext(parameters.route(), parameters.middleware(),
				location(parameters.location()), task);
		Observation parent = (task != null) ? run.task(task) : null;
		Observation observation = WebPipeObservationDocumentation.STEP
			.observation(null, this.stepConvention, () -> context, this.registry)
			.parentObservation((parent != null) ? parent : run.parent)
			.start();
		if (observation.isNoop()) {
			return InstrumentationContext.NOOP;
		}
		run.pending.put(parameters, observation);
		return (outcome) -> {
			context.setOutcome(outcome.name());
			observation.stop();
		};
	}

	/** The step's work runs with the step's observation as the current one of its Reactor context. */
	@Override
	public StepExecution instrumentStep(StepExecution execution, StepParameters parameters,
			@Nullable InstrumentationState state) {
		Observation observation = ((Run) Objects.requireNonNull(state)).pending.remove(parameters);
		if (observation == null) {
			return execution;
		}
		Context current = Context.of(CURRENT, observation);
		return () -> {
			Mono<StepResult> result = execution.execute();
			// a value at hand (a jq step) has no work left to run in a context
			return (result instanceof Fuseable.ScalarCallable) ? result : result.contextWrite(current);
		};
	}

	@Override
	public InstrumentationContext beginTask(TaskParameters parameters, @Nullable InstrumentationState state) {
		Run run = (Run) Objects.requireNonNull(state);
		TaskObservationContext context = new TaskObservationContext(parameters.route(), parameters.task(),
				location(parameters.location()));
		Observation observation = WebPipeObservationDocumentation.TASK
			.observation(null, this.taskConvention, () -> context, this.registry)
			.parentObservation(run.parent)
			.start();
		if (observation.isNoop()) {
			return InstrumentationContext.NOOP;
		}
		run.tasks.put(parameters.task(), observation);
		return (outcome) -> {
			run.tasks.remove(parameters.task(), observation);
			context.setOutcome(outcome.name());
			context.setJoined(!outcome.detached());
			observation.stop();
		};
	}

	private static @Nullable Observation parent(ContextView reactorContext) {
		Object parent = reactorContext.getOrDefault(CURRENT, null);
		return (parent instanceof Observation observation && !observation.isNoop()) ? observation : null;
	}

	private static String location(SourceLocation location) {
		return location.file() + ":" + location.span().line();
	}

	/**
	 * One run's observations: the parent from its Reactor context, the running tasks' observations by task name,
	 * and the observation of a step between its begin and the wrapping of its execution (the two calls the runtime
	 * makes one after the other for the same parameters).
	 */
	private static final class Run implements InstrumentationState {

		final @Nullable Observation parent;

		final Map<String, Observation> tasks = new ConcurrentHashMap<>();

		final Map<StepParameters, Observation> pending = Collections.synchronizedMap(new IdentityHashMap<>());

		Run(@Nullable Observation parent) {
			this.parent = parent;
		}

		@Nullable Observation task(String name) {
			return this.tasks.get(name);
		}

	}

}
