package dev.webpipe.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.runtime.jq.JqProgram;
import dev.webpipe.runtime.jq.JqRuntimeException;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.PlainMessageException;
import dev.webpipe.middleware.Timeouts;
import dev.webpipe.instrumentation.ActiveInstrumentation;
import dev.webpipe.instrumentation.InstrumentationContext;
import dev.webpipe.instrumentation.Outcome;
import dev.webpipe.instrumentation.PipelineParameters;
import dev.webpipe.instrumentation.RunParameters;
import dev.webpipe.instrumentation.StepExecution;
import dev.webpipe.instrumentation.StepParameters;
import dev.webpipe.instrumentation.TaskParameters;

/**
 * Runs compiled pipelines (docs/runtime.md, docs/architecture.md#one-request). Steps that complete synchronously
 * (such as {@code jq}) continue in a plain loop; an asynchronous step resumes the loop when it
 * emits, so a pipeline costs one operator per asynchronous step and none per synchronous one.
 */
public final class PipelineExecutor {

	/** How deep named pipelines may call each other (docs/language.md#named-pipelines-and-the-feature-flag-pipeline). */
	public static final int MAX_DEPTH = 64;

	private static final Logger logger = LoggerFactory.getLogger(PipelineExecutor.class);

	private final Map<String, CompiledPipeline> pipelines;

	private final @Nullable CompiledPipeline featureFlags;

	private final RuntimeSettings settings;

	public PipelineExecutor(Map<String, CompiledPipeline> pipelines) {
		this(pipelines, RuntimeSettings.defaults());
	}

	public PipelineExecutor(Map<String, CompiledPipeline> pipelines, RuntimeSettings settings) {
		this(pipelines, null, settings);
	}

	/**
	 * @param pipelines the named pipelines
	 * @param featureFlags the featureFlags pipeline, or {@code null}
	 * @param settings timeouts and the like
	 */
	public PipelineExecutor(Map<String, CompiledPipeline> pipelines, @Nullable CompiledPipeline featureFlags,
			RuntimeSettings settings) {
		this.pipelines = Map.copyOf(pipelines);
		this.featureFlags = featureFlags;
		this.settings = settings;
	}

	public RuntimeSettings settings() {
		return this.settings;
	}

	/**
	 * Runs a route (or any root pipeline) for one request. When the run ends, tasks that no
	 * join waited for become detached; when the subscriber cancels (the client went away),
	 * the tasks a later join would have waited for are cancelled.
	 */
	public Mono<RunResult> execute(CompiledPipeline pipeline, JsonNode input, RequestContext context) {
		return Mono.deferContextual((view) -> {
			InstrumentationContext told = (context.instrumentation() == null)
					? instrument(context, view, pipeline == this.featureFlags) : null;
			Mono<RunResult> run = run(pipeline, input, new Scope(context, null, 0, false, view));
			return (told != null) ? Instrumented.run(run, told) : run;
		})
			.doOnCancel(() -> {
				context.cancel();
				cancelJoinable(context);
			})
			.doFinally((signal) -> detachRemaining(context));
	}

	/**
	 * Whether a run of {@code pipeline} needs nothing from its subscriber's Reactor context: no instrumentation is
	 * set and neither the pipeline nor a pipeline it calls starts an {@code @async} task (the two uses of the
	 * context). Such a run can be {@linkplain #executeNow started at once}.
	 */
	public boolean runsWithoutReactorContext(CompiledPipeline pipeline) {
		return this.settings.instrumentation() == null
				&& !startsTasks(pipeline, Collections.newSetFromMap(new IdentityHashMap<>()));
	}

	private boolean startsTasks(@Nullable CompiledPipeline pipeline, Set<CompiledPipeline> seen) {
		if (pipeline == null || !seen.add(pipeline)) {
			return false;
		}
		for (Stage stage : pipeline.stages()) {
			if (stage instanceof Stage.Async) {
				return true;
			}
			if (stage instanceof Stage.Call call && startsTasks(this.pipelines.get(call.pipeline()), seen)) {
				return true;
			}
			for (CompiledPipeline nested : stage.nested()) {
				if (startsTasks(nested, seen)) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * {@link #execute} for a pipeline that {@linkplain #runsWithoutReactorContext runs without the Reactor context},
	 * started at once rather than when subscribed: the steps that complete synchronously run during this call, and
	 * a run that completes synchronously is returned as a value, without operators
	 * (docs/performance.md#third-profile). Subscribe to the result once.
	 */
	public Mono<RunResult> executeNow(CompiledPipeline pipeline, JsonNode input, RequestContext context) {
		Mono<RunResult> run = run(pipeline, input, new Scope(context, null, 0, false, Context.empty()));
		if (Monos.now(run) != null) {
			return run;
		}
		return run.doOnCancel(context::cancel);
	}

	/**
	 * Asks the instrumentation whether it takes part in this run (docs/architecture.md#instrumentation); when
	 * it does, the context keeps it for the run's steps and tasks, and the run's context is returned, unless it is
	 * {@link InstrumentationContext#NOOP}.
	 */
	private @Nullable InstrumentationContext instrument(RequestContext context, ContextView view, boolean featureFlags) {
		if (this.settings.instrumentation() == null) {
			return null;
		}
		RunParameters parameters = new RunParameters(context.route(), context.request(), view, context.startNanos(),
				featureFlags);
		ActiveInstrumentation active = ActiveInstrumentation.begin(this.settings.instrumentation(), parameters);
		if (active == null) {
			return null;
		}
		context.setInstrumentation(active);
		InstrumentationContext run = active.instrumentation().beginRun(parameters, active.state());
		// a run that no instrumentation watches needs no operators to see its end (docs/performance.md#third-profile)
		return (run != InstrumentationContext.NOOP) ? run : null;
	}

	/**
	 * The context of a new request (docs/flow-control.md#the-featureflags-pipeline). Without a featureFlags pipeline it is
	 * created directly. Otherwise the pipeline first runs on the initial state with a fresh
	 * context of its own, bounded by {@link RuntimeSettings#featureFlagsTimeout()}; then the
	 * flags it set with {@code setFlag}, overridden by the boolean entries of an object
	 * {@code flags} in its final state, become the request's flags, and a {@code user} key of its
	 * final state is appended to the initial state ({@link RequestContext#request()}, the input
	 * of the route). A typed error in its final state is logged and otherwise ignored; a fatal
	 * error or the timeout is logged and the request starts without flags.
	 *
	 * @param request the initial state (docs/runtime.md#the-request-state)
	 * @param route the route as written, for log lines
	 * @param env the environment name, or {@code null}
	 * @param envNames the names {@code @env} accepts
	 */
	public Mono<RequestContext> begin(ObjectNode request, String route, @Nullable String env, Set<String> envNames) {
		return begin(request, route, env, envNames, Map.of());
	}

	/**
	 * {@link #begin(ObjectNode, String, String, Set)} with entries that {@code $context} starts with, in the
	 * featureFlags pipeline's run and in the route's (the request's {@code principal},
	 * docs/security.md#spring-security).
	 */
	public Mono<RequestContext> begin(ObjectNode request, String route, @Nullable String env, Set<String> envNames,
			Map<String, JsonNode> entries) {
		if (this.featureFlags == null) {
			return Mono.just(RequestContext.create(request, route, env, envNames, entries));
		}
		ObjectNode input = request.deepCopy();
		RequestContext flagsContext = RequestContext.create(input, route, env, envNames, entries);
		Duration timeout = this.settings.featureFlagsTimeout();
		return execute(this.featureFlags, input, flagsContext).timeout(timeout)
			.map((result) -> afterFeatureFlags(result.state(), flagsContext, request, route, env, envNames, entries))
			.onErrorResume((ex) -> {
				if (ex instanceof java.util.concurrent.TimeoutException) {
					logger.warn("webpipe: the featureFlags pipeline did not finish within {} for {}; "
							+ "the route runs without flags", format(timeout), route);
				}
				else if (ex instanceof FatalPipelineException) {
					logger.warn("webpipe: the featureFlags pipeline failed for {}; the route runs without flags: {}",
							route, ex.getMessage());
				}
				else {
					logger.warn("webpipe: the featureFlags pipeline failed for {}; the route runs without flags: {}",
							route, Errors.plainMessage(ex), ex);
				}
				return Mono.just(RequestContext.create(request, route, env, envNames, entries));
			});
	}

	private static RequestContext afterFeatureFlags(JsonNode state, RequestContext flagsContext, ObjectNode request,
			String route, @Nullable String env, Set<String> envNames, Map<String, JsonNode> entries) {
		if (Errors.hasTypedError(state)) {
			logger.warn("webpipe: the featureFlags pipeline ended with a typed error for {}, ignored: {}", route,
					state.get("errors"));
		}
		ObjectNode initial = request;
		if (state.has("user")) {
			initial = StateOps.copy(request);
			initial.set("user", state.get("user"));
		}
		RequestContext context = RequestContext.create(initial, route, env, envNames, entries);
		flagsContext.flags().forEach(context::setFlag);
		if (state.get("flags") instanceof ObjectNode flags) {
			flags.fields().forEachRemaining((entry) -> {
				if (entry.getValue().isBoolean()) {
					context.setFlag(entry.getKey(), entry.getValue().booleanValue());
				}
			});
		}
		return context;
	}

	/** Runs a named pipeline as a root run, e.g. for tests ({@code when executing pipeline}). */
	public Mono<RunResult> executeNamed(String name, JsonNode input, RequestContext context) {
		CompiledPipeline pipeline = this.pipelines.get(name);
		if (pipeline == null) {
			return Mono.error(new FatalPipelineException("unknown pipeline '" + name + "'"));
		}
		return execute(pipeline, input, context);
	}

	/**
	 * The scope of a run.
	 *
	 * @param context the request context
	 * @param handled the error type a {@code result} branch is handling, or {@code null}
	 * @param depth how many pipeline calls deep the run is
	 * @param task whether the run is inside an {@code @async} task ("more steps follow" always holds)
	 * @param reactorContext the subscriber's context, carried into tasks (tracing, MDC)
	 */
	record Scope(RequestContext context, @Nullable String handled, int depth, boolean task, ContextView reactorContext) {

		Scope handling(String type) {
			return new Scope(this.context, type, this.depth, this.task, this.reactorContext);
		}

		Scope deeper() {
			return new Scope(this.context, this.handled, this.depth + 1, this.task, this.reactorContext);
		}

	}

	Mono<RunResult> run(CompiledPipeline pipeline, JsonNode input, Scope scope) {
		return resume(pipeline.stages(), 0, new RunResult(input, null, null, false), scope, new RunEnds());
	}

	private Mono<RunResult> resume(List<Stage> stages, int from, RunResult start, Scope scope, RunEnds ends) {
		RunResult current = start;
		for (int i = from; i < stages.size(); i++) {
			Stage stage = stages.get(i);
			if (!(stage instanceof Stage.Result) && isShortCircuited(current.state(), scope)) {
				continue;
			}
			Mono<RunResult> next = executeStage(stage, stages, i, current, scope, ends);
			if (next == null) {
				continue;
			}
			RunResult now = Monos.now(next);
			if (now == null) {
				int following = i + 1;
				return next.flatMap((result) -> result.ended() ? ends.finish(result)
						: resume(stages, following, result, scope, ends));
			}
			current = now;
			if (current.ended()) {
				return ends.finish(current);
			}
		}
		return ends.finish(current);
	}

	/**
	 * The {@link dev.webpipe.middleware.RunEnd} callbacks registered by the steps of one run, called in order
	 * with the run's final result before it is returned (docs/middleware/cache.md#when-an-entry-is-written).
	 */
	private static final class RunEnds {

		private @Nullable List<dev.webpipe.middleware.RunEnd> callbacks;

		void add(dev.webpipe.middleware.RunEnd callback) {
			if (this.callbacks == null) {
				this.callbacks = new ArrayList<>(2);
			}
			this.callbacks.add(callback);
		}

		Mono<RunResult> finish(RunResult result) {
			List<dev.webpipe.middleware.RunEnd> pending = this.callbacks;
			if (pending == null) {
				return Mono.just(result);
			}
			this.callbacks = null;
			return Flux.fromIterable(pending)
				.concatMap((callback) -> Mono.defer(() -> callback.ended(result.state(), result.status(),
						result.contentType()))
					.onErrorResume((ex) -> {
						logger.warn("webpipe: a step's end-of-run work failed: {}", Errors.plainMessage(ex));
						return Mono.empty();
					}))
				.then(Mono.just(result));
		}

	}

	/** The stage's outcome, or {@code null} when its tags made it skip. */
	private @Nullable Mono<RunResult> executeStage(Stage stage, List<Stage> stages, int index, RunResult current,
			Scope scope, RunEnds ends) {
		if (stage instanceof Stage.Step step) {
			return executeStep(step, stages, index, current, scope, true, ends);
		}
		if (stage instanceof Stage.Call call) {
			return executeCall(call, current, scope, true);
		}
		if (stage instanceof Stage.Result result) {
			return executeResult(result, current, scope);
		}
		if (stage instanceof Stage.Async async) {
			return startTask(async, current, scope);
		}
		if (stage instanceof Stage.Join join) {
			return executeJoin(join, current, scope);
		}
		if (stage instanceof Stage.If block) {
			return executeIf(block, current, scope);
		}
		if (stage instanceof Stage.Dispatch dispatch) {
			return executeDispatch(dispatch, current, scope);
		}
		if (stage instanceof Stage.Foreach foreach) {
			return executeForeach(foreach, current, scope);
		}
		throw new FatalPipelineException("unsupported step at " + stage.location());
	}

	private @Nullable Mono<RunResult> executeStep(Stage.Step step, List<Stage> stages, int index, RunResult current,
			Scope scope, boolean checkCondition, @Nullable RunEnds ends) {
		RequestContext context = scope.context();
		JsonNode state = current.state();
		if (checkCondition && !step.condition().test(state, context)) {
			return null;
		}
		boolean moreStepsFollow = (step.behavior() == Behavior.TRANSFORM) && moreStepsFollow(stages, index, state,
				scope);
		if (context.instrumentation() != null) {
			return executeInstrumented(step, current, scope, checkCondition ? null : context.task(), moreStepsFollow,
					ends);
		}
		List<JsonNode> arguments;
		try {
			arguments = evaluate(step.arguments(), state, context);
		}
		catch (JqRuntimeException ex) {
			return Mono.just(failure(step, current, ex, scope));
		}
		Mono<StepResult> execution;
		try {
			execution = step.step().execute(new StepInput(state, arguments, context));
		}
		catch (FatalPipelineException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			return Mono.just(failure(step, current, ex, scope));
		}
		StepResult immediate = Monos.now(execution);
		if (immediate != null) {
			return Mono.just(apply(step, current, immediate, moreStepsFollow, scope, ends));
		}
		// one operator for a value, an error or nothing (rather than map, onErrorResume and switchIfEmpty)
		return execution.materialize().map((signal) -> {
			if (signal.isOnError()) {
				Throwable ex = Objects.requireNonNull(signal.getThrowable());
				if (ex instanceof FatalPipelineException fatal) {
					throw fatal;
				}
				return failure(step, current, ex, scope);
			}
			StepResult result = signal.get();
			return apply(step, current, (result != null) ? result : StepResult.of(NullNode.getInstance()),
					moreStepsFollow, scope, ends);
		});
	}

	/**
	 * A step of a run that an instrumentation takes part in: the step's context begins, its execution
	 * (arguments, then the middleware) is wrapped by the instrumentation, and the context is told the end
	 * (docs/architecture.md#instrumentation).
	 */
	private Mono<RunResult> executeInstrumented(Stage.Step step, RunResult current, Scope scope, @Nullable String task,
			boolean moreStepsFollow, @Nullable RunEnds ends) {
		RequestContext context = scope.context();
		// a run that an instrumentation takes part in (the caller checked)
		ActiveInstrumentation active = Objects.requireNonNull(context.instrumentation());
		JsonNode state = current.state();
		StepParameters parameters = new StepParameters(context.route(), step.middleware(), step.location(), task,
				state, step.resultName(), step.autoName(), context, context.startNanos());
		long start = System.nanoTime();
		InstrumentationContext told = Instrumented.once(active.instrumentation().beginStep(parameters, active.state()));
		StepExecution own = () -> step.step()
			.execute(new StepInput(state, evaluate(step.arguments(), state, context), context));
		StepExecution execution = active.instrumentation().instrumentStep(own, parameters, active.state());
		Mono<StepResult> running;
		try {
			running = execution.execute();
		}
		catch (FatalPipelineException ex) {
			told.onEnd(new Outcome("fatalError", start, System.nanoTime(), false));
			throw ex;
		}
		catch (RuntimeException ex) {
			return Mono.just(Instrumented.ended(told, start, state, failure(step, current, ex, scope)));
		}
		StepResult immediate = Monos.now(running);
		if (immediate != null) {
			return Mono.just(Instrumented.ended(told, start, state,
					apply(step, current, immediate, moreStepsFollow, scope, ends)));
		}
		return Instrumented.step(running.materialize().map((signal) -> {
			if (signal.isOnError()) {
				Throwable ex = Objects.requireNonNull(signal.getThrowable());
				if (ex instanceof FatalPipelineException fatal) {
					throw fatal;
				}
				return Instrumented.ended(told, start, state, failure(step, current, ex, scope));
			}
			StepResult result = signal.get();
			return Instrumented.ended(told, start, state, apply(step, current,
					(result != null) ? result : StepResult.of(NullNode.getInstance()), moreStepsFollow, scope, ends));
		}), told, start);
	}

	private RunResult apply(Stage.Step step, RunResult current, StepResult result, boolean moreStepsFollow,
			Scope scope, @Nullable RunEnds ends) {
		JsonNode before = current.state();
		if (result.runEnd() != null && ends != null) {
			ends.add(result.runEnd());
		}
		JsonNode next;
		if (result.failed()) {
			next = StateOps.withErrors(before, renamed(Objects.requireNonNull(result.errors()), step.errorRename()));
		}
		else {
			JsonNode output = (result.output() != null) ? result.output() : NullNode.getInstance();
			if (step.placesResult()) {
				next = placeResult(step, before, output, moreStepsFollow);
			}
			else {
				next = switch (step.behavior()) {
					case MERGE -> StateOps.merge(before, output);
					case TRANSFORM -> StateOps.transform(before, output, moreStepsFollow);
					case RENDER -> output;
					case READ_ONLY -> (result.endPipeline() && result.output() != null) ? output : before;
				};
				if (step.errorRename() != null && step.behavior() != Behavior.READ_ONLY
						&& Errors.hasTypedError(output)) {
					next = StateOps.renameErrors(next, step.errorRename());
				}
			}
		}
		markUnhandled(next, scope);
		Integer status = (result.status() != null) ? result.status() : current.status();
		String contentType = (result.contentType() != null) ? result.contentType()
				: (step.behavior() == Behavior.RENDER && !result.failed()) ? "text/html" : current.contentType();
		return new RunResult(next, status, contentType, result.endPipeline());
	}

	private JsonNode placeResult(Stage.Step step, JsonNode before, JsonNode value, boolean moreStepsFollow) {
		if (Errors.hasTypedError(value)) {
			return StateOps.withErrors(before, renamed(errorList(value), step.errorRename()));
		}
		String name = step.resultName();
		if (name == null && before.get("resultName") instanceof com.fasterxml.jackson.databind.node.TextNode text) {
			name = text.asText();
		}
		if (name == null) {
			name = step.autoName();
		}
		if (name != null) {
			return StateOps.placeNamed(before, name, value);
		}
		if (step.behavior() == Behavior.MERGE) {
			return StateOps.placeData(before, value);
		}
		ObjectNode wrapped = Json.NODES.objectNode();
		wrapped.set("data", value);
		return StateOps.transform(before, wrapped, moreStepsFollow);
	}

	private RunResult failure(Stage.Step step, RunResult current, Throwable ex, Scope scope) {
		ObjectNode error = Errors.error(step.middleware() + "Error", message(ex));
		error.put("step", step.middleware());
		error.put("location", step.location().toString());
		JsonNode next = StateOps.withErrors(current.state(), renamed(List.of(error), step.errorRename()));
		markUnhandled(next, scope);
		return new RunResult(next, current.status(), current.contentType(), false);
	}

	private @Nullable Mono<RunResult> executeCall(Stage.Call call, RunResult current, Scope scope, boolean checkCondition) {
		RequestContext context = scope.context();
		JsonNode state = current.state();
		if (checkCondition && !call.condition().test(state, context)) {
			return null;
		}
		if (scope.depth() >= MAX_DEPTH) {
			throw new FatalPipelineException("pipeline calls nested deeper than " + MAX_DEPTH + " at "
					+ call.location() + " (calling pipeline '" + call.pipeline() + "')");
		}
		CompiledPipeline target = this.pipelines.get(call.pipeline());
		if (target == null) {
			throw new FatalPipelineException("unknown pipeline '" + call.pipeline() + "' at " + call.location());
		}
		JsonNode input = state;
		if (call.argument() != null) {
			JsonNode argument;
			try {
				argument = call.argument().apply(state, contextFor(call.argument(), context));
			}
			catch (JqRuntimeException ex) {
				ObjectNode error = Errors.error("pipelineError", message(ex));
				error.put("step", "pipeline");
				error.put("location", call.location().toString());
				JsonNode next = StateOps.withErrors(state, renamed(List.of(error), call.errorRename()));
				markUnhandled(next, scope);
				return Mono.just(new RunResult(next, current.status(), current.contentType(), false));
			}
			input = (state.isObject() && argument.isObject()) ? StateOps.merge(state, argument) : argument;
		}
		ActiveInstrumentation active = context.instrumentation();
		JsonNode replaced = (active != null) ? active.instrumentation()
			.replacePipeline(new PipelineParameters(context.route(), call.pipeline(), call.location(), input),
					active.state()) : null;
		Mono<RunResult> ran = (replaced != null) ? Mono.just(new RunResult(replaced, null, null, false))
				: run(target, input, scope.deeper());
		return then(ran, (result) -> {
			JsonNode next = StateOps.merge(state, result.state());
			if (call.errorRename() != null && Errors.hasTypedError(result.state())) {
				next = StateOps.renameErrors(next, call.errorRename());
			}
			return result.inside(next, current.status(), current.contentType(), false);
		});
	}

	private Mono<RunResult> executeResult(Stage.Result block, RunResult current, Scope scope) {
		JsonNode state = current.state();
		String type = Errors.hasTypedError(state) ? Errors.firstType(state) : null;
		Stage.Branch branch = (type != null) ? block.branches().get(type) : block.branches().get("ok");
		if (branch == null) {
			branch = block.branches().get("default");
		}
		if (branch == null) {
			return Mono.just(new RunResult(state, current.status(), current.contentType(), true));
		}
		RequestContext context = scope.context();
		if (!context.isSnapshot()) {
			context.setUnhandledError(false);
		}
		Stage.Branch selected = branch;
		Scope inner = (type != null) ? scope.handling(type) : scope;
		return then(run(selected.body(), state, inner), (result) -> {
			JsonNode output = result.state();
			if (state.has("setCookies") && output instanceof ObjectNode object && !object.has("setCookies")) {
				ObjectNode copy = StateOps.copy(object);
				copy.set("setCookies", state.get("setCookies"));
				output = copy;
			}
			return result.inside(output, selected.status(), current.contentType(), true);
		});
	}

	// ---- if, dispatch and foreach (docs/flow-control.md#if) -----------------------------------

	/**
	 * Runs the condition on a deep copy of the state (sharing the context), then the selected
	 * branch on the state itself. A condition ending in a typed error adds that error to the
	 * state and selects no branch.
	 */
	private Mono<RunResult> executeIf(Stage.If block, RunResult current, Scope scope) {
		JsonNode state = current.state();
		return thenMono(run(block.condition(), state.deepCopy(), scope), (condition) -> {
			JsonNode value = condition.state();
			if (isShortCircuited(value, scope)) {
				JsonNode next = StateOps.withErrors(state, errorList(value));
				markUnhandled(next, scope);
				return Mono.just(current.withState(next));
			}
			CompiledPipeline branch = Json.isTruthy(value) ? block.then() : block.otherwise();
			return (branch != null) ? runBranch(branch, current, scope) : Mono.just(current);
		});
	}

	/** Runs the body of the first case whose tags hold, else the default body, else nothing. */
	private Mono<RunResult> executeDispatch(Stage.Dispatch dispatch, RunResult current, Scope scope) {
		for (Stage.Case branch : dispatch.cases()) {
			if (branch.condition().test(current.state(), scope.context())) {
				return runBranch(branch.body(), current, scope);
			}
		}
		return (dispatch.otherwise() != null) ? runBranch(dispatch.otherwise(), current, scope)
				: Mono.just(current);
	}

	/**
	 * An {@code if} or {@code dispatch} branch: a run on the state whose final state becomes the
	 * state; its status and a non-JSON content type propagate.
	 */
	private Mono<RunResult> runBranch(CompiledPipeline body, RunResult current, Scope scope) {
		return then(run(body, current.state(), scope), (result) -> {
			return result.inside(result.state(), current.status(), current.contentType(), false);
		});
	}

	/**
	 * Runs each element of the array at the selector through the body, one after the other, and
	 * replaces it by the body's final state. Statuses and content types of the bodies are ignored.
	 */
	private Mono<RunResult> executeForeach(Stage.Foreach foreach, RunResult current, Scope scope) {
		JsonNode state = current.state();
		JsonNode target = state;
		for (String segment : foreach.path()) {
			target = child(target, segment);
		}
		if (!(target instanceof ArrayNode elements)) {
			ObjectNode error = Errors.error("foreachError",
					"foreach: path '" + foreach.selector() + "' is not an array or does not exist");
			error.put("step", "foreach");
			error.put("location", foreach.location().toString());
			JsonNode next = StateOps.withErrors(state, List.of(error));
			markUnhandled(next, scope);
			return Mono.just(current.withState(next));
		}
		int maxItems = this.settings.foreachMaxItems();
		if (elements.size() > maxItems) {
			// One request must not drive an unbounded number of upstream calls
			// (docs/flow-control.md#foreach).
			ObjectNode error = Errors.error("foreachError", "foreach: path '" + foreach.selector() + "' has "
					+ elements.size() + " items, more than webpipe.foreach.max-items (" + maxItems + ")");
			error.put("step", "foreach");
			error.put("location", foreach.location().toString());
			JsonNode next = StateOps.withErrors(state, List.of(error));
			markUnhandled(next, scope);
			return Mono.just(current.withState(next));
		}
		ArrayNode results = Json.NODES.arrayNode();
		return thenMono(eachElement(foreach.body(), elements, 0, results, scope),
				(done) -> Mono.just(current.withState(replace(state, foreach.path(), 0, results))));
	}

	/** Runs the body for the elements from {@code from} on, synchronously while the runs allow it. */
	private Mono<ArrayNode> eachElement(CompiledPipeline body, ArrayNode elements, int from, ArrayNode results,
			Scope scope) {
		for (int i = from; i < elements.size(); i++) {
			Mono<RunResult> run = run(body, elements.get(i), scope);
			RunResult now = Monos.now(run);
			if (now == null) {
				int following = i + 1;
				return run.flatMap((result) -> {
					results.add(result.state());
					return eachElement(body, elements, following, results, scope);
				});
			}
			results.add(now.state());
		}
		return Mono.just(results);
	}

	/** The value under a selector segment: an object key or an array index; missing otherwise. */
	private static @Nullable JsonNode child(@Nullable JsonNode node, String segment) {
		if (node instanceof ObjectNode object) {
			return object.get(segment);
		}
		if (node instanceof ArrayNode array && isIndex(segment)) {
			return array.get(Integer.parseInt(segment));
		}
		return null;
	}

	private static boolean isIndex(String segment) {
		return segment.length() <= 9 && segment.chars().allMatch(Character::isDigit);
	}

	/** A copy of {@code node} with the value at {@code path} (from {@code index} on) replaced. */
	private static JsonNode replace(JsonNode node, List<String> path, int index, JsonNode value) {
		if (index == path.size()) {
			return value;
		}
		String segment = path.get(index);
		if (node instanceof ObjectNode object) {
			ObjectNode copy = StateOps.copy(object);
			copy.set(segment, replace(object.get(segment), path, index + 1, value));
			return copy;
		}
		ArrayNode array = (ArrayNode) node;
		ArrayNode copy = Json.NODES.arrayNode().addAll(array);
		int at = Integer.parseInt(segment);
		copy.set(at, replace(array.get(at), path, index + 1, value));
		return copy;
	}

	/** The objects of a state's {@code errors} array. */
	private static List<ObjectNode> errorList(JsonNode state) {
		List<ObjectNode> errors = new ArrayList<>();
		for (JsonNode error : state.get("errors")) {
			if (error instanceof ObjectNode object) {
				errors.add(object);
			}
		}
		return errors;
	}

	private boolean moreStepsFollow(List<Stage> stages, int index, JsonNode state, Scope scope) {
		if (scope.task()) {
			return true;
		}
		for (int i = index + 1; i < stages.size(); i++) {
			Stage stage = stages.get(i);
			if (stage instanceof Stage.Step step) {
				if (!step.ignoredByLookahead() && step.condition().test(state, scope.context())) {
					return true;
				}
			}
			else if (stage instanceof Stage.Call || stage instanceof Stage.Async || stage instanceof Stage.Join) {
				if (stage.runsWhen().test(state, scope.context())) {
					return true;
				}
			}
			else {
				return true;
			}
		}
		return false;
	}

	// ---- @async and join (concurrency.md) ------------------------------------------

	/** Starts the step of an {@code @async} stage as a task on a snapshot; the state is unchanged. */
	private @Nullable Mono<RunResult> startTask(Stage.Async async, RunResult current, Scope scope) {
		RequestContext context = scope.context();
		JsonNode state = current.state();
		if (!async.inner().runsWhen().test(state, context)) {
			return null;
		}
		TaskRegistry registry = context.tasks();
		if (registry.get(async.task()) != null) {
			throw new FatalPipelineException("task '" + async.task() + "' started twice at " + async.location());
		}
		JsonNode snapshot = state.deepCopy();
		RequestContext taskContext = context.snapshot(async.task());
		Scope taskScope = new Scope(taskContext, scope.handled(), scope.depth(), true, scope.reactorContext());
		Task task = new Task(async.task(), async.location(), async.joinable());
		ActiveInstrumentation active = context.instrumentation();
		if (active != null) {
			task.instrument(active.instrumentation()
				.beginTask(new TaskParameters(context.route(), async.task(), async.location(), async.joinable(),
						context.startNanos()), active.state()));
		}
		Duration timeout = this.settings.taskTimeout();
		Mono<TaskOutcome> work = Mono.defer(() -> runInTask(async.inner(), snapshot, taskScope))
			.map((result) -> outcome(result.state(), snapshot, task))
			.doOnCancel(taskContext::cancel); // a timeout cancels too: the task's steps see it (StepContext)
		work = Timeouts.within(work, timeout, "webpipe.task", Mono.fromSupplier(() -> timedOut(task, timeout)))
			.onErrorResume((ex) -> Mono.just(failed(async.inner(), ex, task)))
			.doFinally((signal) -> detachRemaining(taskContext))
			.contextWrite(scope.reactorContext());
		registry.register(task);
		task.start(work);
		return Mono.just(current);
	}

	private Mono<RunResult> runInTask(Stage inner, JsonNode snapshot, Scope taskScope) {
		RunResult start = new RunResult(snapshot, null, null, false);
		Mono<RunResult> result = (inner instanceof Stage.Call call) ? executeCall(call, start, taskScope, false)
				: executeStep((Stage.Step) inner, List.of(inner), 0, start, taskScope, false, null);
		return (result != null) ? result : Mono.just(start);
	}

	private static TaskOutcome outcome(JsonNode taskState, JsonNode snapshot, Task task) {
		if (Errors.hasTypedError(taskState)
				&& !java.util.Objects.equals(taskState.get("errors"), snapshot.get("errors"))) {
			return new TaskOutcome(null, errorList(taskState), task.elapsed());
		}
		return new TaskOutcome(taskState, null, task.elapsed());
	}

	private static TaskOutcome timedOut(Task task, Duration timeout) {
		return new TaskOutcome(null, List.of(Errors.error("timeoutError",
				"task '" + task.name() + "' did not finish within " + format(timeout))), task.elapsed());
	}

	private static TaskOutcome failed(Stage inner, Throwable ex, Task task) {
		String type = (inner instanceof Stage.Step step) ? step.middleware() + "Error" : "pipelineError";
		ObjectNode error = Errors.error(type, message(ex));
		error.put("location", inner.location().toString());
		return new TaskOutcome(null, List.of(error), task.elapsed());
	}

	/** Waits for the listed tasks together and merges their outcomes (docs/concurrency.md#join). */
	private @Nullable Mono<RunResult> executeJoin(Stage.Join join, RunResult current, Scope scope) {
		RequestContext context = scope.context();
		if (!join.condition().test(current.state(), context)) {
			return null;
		}
		TaskRegistry registry = context.tasks();
		List<Stage.JoinItem> items = new ArrayList<>();
		List<Task> tasks = new ArrayList<>();
		for (Stage.JoinItem item : join.items()) {
			Task task = registry.get(item.name());
			if (task != null) {
				items.add(item);
				tasks.add(task);
			}
		}
		if (tasks.isEmpty()) {
			return Mono.just(applyJoin(join, current, items, List.of(), scope));
		}
		// their fate is known once a join waits for them: a task that ends later is told its end when it ends
		for (Task task : tasks) {
			task.settle(false);
		}
		return Flux.fromIterable(tasks).flatMapSequential(Task::outcome).collectList().map((outcomes) -> {
			for (int i = 0; i < tasks.size(); i++) {
				registry.remove(tasks.get(i).name());
			}
			return applyJoin(join, current, items, outcomes, scope);
		});
	}

	private RunResult applyJoin(Stage.Join join, RunResult current, List<Stage.JoinItem> items,
			List<TaskOutcome> outcomes, Scope scope) {
		JsonNode state = current.state();
		ObjectNode next = (state instanceof ObjectNode object) ? StateOps.copy(object) : Json.NODES.objectNode();
		ObjectNode async = (next.get("async") instanceof ObjectNode existing) ? StateOps.copy(existing)
				: Json.NODES.objectNode();
		List<ObjectNode> raised = new ArrayList<>();
		for (int i = 0; i < outcomes.size(); i++) {
			Stage.JoinItem item = items.get(i);
			TaskOutcome outcome = outcomes.get(i);
			if (!outcome.failed()) {
				async.set(item.name(), outcome.state());
				continue;
			}
			ObjectNode entry = Json.NODES.objectNode();
			entry.put("error", outcome.message());
			ArrayNode errors = entry.putArray("errors");
			List<ObjectNode> failures = Objects.requireNonNull(outcome.errors());
			failures.forEach(errors::add);
			async.set(item.name(), entry);
			if (!item.optional()) {
				for (ObjectNode error : failures) {
					ObjectNode copy = StateOps.copy(error);
					copy.remove("task");
					copy.put("task", item.name());
					if (join.errorRename() != null) {
						copy.put("type", join.errorRename());
					}
					raised.add(copy);
				}
			}
		}
		next.set("async", async);
		if (!raised.isEmpty()) {
			ArrayNode errors = Json.NODES.arrayNode();
			JsonNode existing = next.get("errors");
			boolean typedFirst = Errors.hasTypedError(next);
			if (existing instanceof ArrayNode array && !array.isEmpty() && !typedFirst) {
				raised.forEach(errors::add);
				errors.addAll(array);
			}
			else {
				if (existing instanceof ArrayNode array) {
					errors.addAll(array);
				}
				raised.forEach(errors::add);
			}
			next.set("errors", errors);
		}
		markUnhandled(next, scope);
		return new RunResult(next, current.status(), current.contentType(), false);
	}

	/** Client cancellation: cancels the tasks a later join would have waited for. */
	private void cancelJoinable(RequestContext context) {
		for (Task task : context.tasks().drainJoinable()) {
			logger.debug("Cancelling task '{}' of {}: the client went away", task.name(), context.route());
			task.cancel(new TaskOutcome(null, List.of(Errors.error("timeoutError",
					"task '" + task.name() + "' was cancelled")), task.elapsed()));
			task.settle(true);
		}
	}

	/** Tasks that no join waited for become detached (docs/concurrency.md#tasks-that-are-never-joined). */
	private void detachRemaining(RequestContext context) {
		for (Task task : context.tasks().drain()) {
			task.settle(true);
			if (!this.settings.detachedTasks().add(task, context.route())) {
				continue; // over webpipe.async.max-detached: cancelled (docs/concurrency.md#tasks-that-are-never-joined)
			}
			Duration detachedTimeout = this.settings.detachedTimeout();
			task.outcome().timeout(detachedTimeout).subscribe((outcome) -> logDetached(task, context, outcome),
					(ex) -> {
						task.cancel(timedOut(task, detachedTimeout));
						logger.warn("webpipe: detached task '{}' of {} ({}) timed out after {}", task.name(),
								context.route(), task.location(), format(detachedTimeout));
					});
		}
	}

	private static void logDetached(Task task, RequestContext context, TaskOutcome outcome) {
		if (outcome.failed()) {
			logger.warn("webpipe: detached task '{}' of {} ({}) failed: {}: {}", task.name(), context.route(),
					task.location(), outcome.firstType(), outcome.message());
		}
		else {
			logger.debug("webpipe: detached task '{}' of {} ({}) finished", task.name(), context.route(),
					task.location());
		}
	}

	/** {@code 30s}, {@code 250ms}. */
	static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	private boolean isShortCircuited(JsonNode state, Scope scope) {
		return Errors.hasTypedError(state) && !Objects.equals(Errors.firstType(state), scope.handled());
	}

	private void markUnhandled(JsonNode state, Scope scope) {
		RequestContext context = scope.context();
		if (!context.isSnapshot() && isShortCircuited(state, scope)) {
			context.setUnhandledError(true);
		}
	}

	private static List<JsonNode> evaluate(List<JqProgram> arguments, JsonNode state, RequestContext context) {
		if (arguments.isEmpty()) {
			return List.of();
		}
		List<JsonNode> values = new ArrayList<>(arguments.size());
		for (JqProgram argument : arguments) {
			values.add(argument.apply(state, contextFor(argument, context)));
		}
		return values;
	}

	/** {@code $context} for a program that reads it, else nothing to build (docs/performance.md#third-profile). */
	private static @Nullable JsonNode contextFor(JqProgram program, RequestContext context) {
		return program.readsContext() ? context.contextJson() : null;
	}

	/**
	 * The message a client sees: a {@link PlainMessageException}'s (jq's and Lua's wording) as is,
	 * otherwise the innermost cause's.
	 */
	private static String message(Throwable ex) {
		return (ex instanceof PlainMessageException plain) ? plain.getMessage() : Errors.plainMessage(ex);
	}

	private static List<ObjectNode> renamed(List<ObjectNode> errors, @Nullable String name) {
		return (name != null) ? StateOps.renameErrors(errors, name) : errors;
	}

	/** Maps a run's outcome, synchronously when the run already completed. */
	private static Mono<RunResult> then(Mono<RunResult> mono, Function<RunResult, RunResult> mapper) {
		RunResult immediate = Monos.now(mono);
		if (immediate != null) {
			return Mono.just(mapper.apply(immediate));
		}
		return mono.map(mapper);
	}

	/** Continues with another Mono, synchronously when the first already completed. */
	private static <T, R> Mono<R> thenMono(Mono<T> mono, Function<T, Mono<R>> next) {
		T immediate = Monos.now(mono);
		if (immediate != null) {
			return next.apply(immediate);
		}
		return mono.flatMap(next);
	}

}
