package dev.webpipe.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.runtime.jq.JqProgram;
import dev.webpipe.runtime.jq.JqRuntimeException;

/**
 * Runs compiled pipelines (runtime.md §2, §3, §6, §10, §11). Steps that complete synchronously
 * (such as {@code jq}) continue in a plain loop; an asynchronous step resumes the loop when it
 * emits, so a pipeline costs one operator per asynchronous step and none per synchronous one.
 */
public final class PipelineExecutor {

	/** How deep named pipelines may call each other (runtime.md §6). */
	public static final int MAX_DEPTH = 64;

	private final Map<String, CompiledPipeline> pipelines;

	public PipelineExecutor(Map<String, CompiledPipeline> pipelines) {
		this.pipelines = Map.copyOf(pipelines);
	}

	/** Runs a route (or any root pipeline) for one request. */
	public Mono<RunResult> execute(CompiledPipeline pipeline, JsonNode input, RequestContext context) {
		return Mono.defer(() -> run(pipeline, input, new Scope(context, null, 0, false)));
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
	 */
	record Scope(RequestContext context, String handled, int depth, boolean task) {

		Scope handling(String type) {
			return new Scope(this.context, type, this.depth, this.task);
		}

		Scope deeper() {
			return new Scope(this.context, this.handled, this.depth + 1, this.task);
		}

	}

	Mono<RunResult> run(CompiledPipeline pipeline, JsonNode input, Scope scope) {
		return resume(pipeline.stages(), 0, new RunResult(input, null, null, false), scope);
	}

	private Mono<RunResult> resume(List<Stage> stages, int from, RunResult start, Scope scope) {
		RunResult current = start;
		for (int i = from; i < stages.size(); i++) {
			Stage stage = stages.get(i);
			if (!(stage instanceof Stage.Result) && isShortCircuited(current.state(), scope)) {
				continue;
			}
			Mono<RunResult> next = executeStage(stage, stages, i, current, scope);
			if (next == null) {
				continue;
			}
			RunResult now = now(next);
			if (now == null) {
				int following = i + 1;
				return next.flatMap((result) -> result.ended() ? Mono.just(result)
						: resume(stages, following, result, scope));
			}
			current = now;
			if (current.ended()) {
				return Mono.just(current);
			}
		}
		return Mono.just(current);
	}

	/** The stage's outcome, or {@code null} when its tags made it skip. */
	private Mono<RunResult> executeStage(Stage stage, List<Stage> stages, int index, RunResult current,
			Scope scope) {
		if (stage instanceof Stage.Step step) {
			return executeStep(step, stages, index, current, scope);
		}
		if (stage instanceof Stage.Call call) {
			return executeCall(call, current, scope);
		}
		if (stage instanceof Stage.Result result) {
			return executeResult(result, current, scope);
		}
		throw new FatalPipelineException("unsupported step at " + stage.location());
	}

	private Mono<RunResult> executeStep(Stage.Step step, List<Stage> stages, int index, RunResult current,
			Scope scope) {
		RequestContext context = scope.context();
		JsonNode state = current.state();
		if (!step.condition().test(state, context)) {
			return null;
		}
		boolean moreStepsFollow = (step.behavior() == Behavior.TRANSFORM) && moreStepsFollow(stages, index, state,
				scope);
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
		StepResult immediate = now(execution);
		if (immediate != null) {
			return Mono.just(apply(step, current, immediate, moreStepsFollow, scope));
		}
		return execution.map((result) -> apply(step, current, result, moreStepsFollow, scope))
			.onErrorResume((ex) -> !(ex instanceof FatalPipelineException),
					(ex) -> Mono.just(failure(step, current, ex, scope)))
			.switchIfEmpty(Mono.fromSupplier(() -> apply(step, current, StepResult.of(NullNode.getInstance()),
					moreStepsFollow, scope)));
	}

	private RunResult apply(Stage.Step step, RunResult current, StepResult result, boolean moreStepsFollow,
			Scope scope) {
		JsonNode before = current.state();
		JsonNode next;
		if (result.failed()) {
			next = StateOps.withErrors(before, renamed(result.errors(), step.errorRename()));
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
					case READ_ONLY -> before;
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
			List<ObjectNode> errors = new ArrayList<>();
			for (JsonNode error : value.get("errors")) {
				if (error instanceof ObjectNode object) {
					errors.add(object);
				}
			}
			return StateOps.withErrors(before, renamed(errors, step.errorRename()));
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
		ObjectNode wrapped = Json.MAPPER.createObjectNode();
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

	private Mono<RunResult> executeCall(Stage.Call call, RunResult current, Scope scope) {
		RequestContext context = scope.context();
		JsonNode state = current.state();
		if (!call.condition().test(state, context)) {
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
				argument = call.argument().apply(state, context.contextJson());
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
		return then(run(target, input, scope.deeper()), (result) -> {
			JsonNode next = StateOps.merge(state, result.state());
			if (call.errorRename() != null && Errors.hasTypedError(result.state())) {
				next = StateOps.renameErrors(next, call.errorRename());
			}
			Integer status = (result.status() != null) ? result.status() : current.status();
			String contentType = isJson(result.contentType()) ? current.contentType() : result.contentType();
			return new RunResult(next, status, contentType, false);
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
			Integer status = (result.status() != null) ? result.status() : selected.status();
			String contentType = isJson(result.contentType()) ? current.contentType() : result.contentType();
			return new RunResult(output, status, contentType, true);
		});
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
			else if (stage instanceof Stage.Call call) {
				if (call.condition().test(state, scope.context())) {
					return true;
				}
			}
			else {
				return true;
			}
		}
		return false;
	}

	private boolean isShortCircuited(JsonNode state, Scope scope) {
		return Errors.hasTypedError(state) && !Errors.firstType(state).equals(scope.handled());
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
			values.add(argument.apply(state, context.contextJson()));
		}
		return values;
	}

	/**
	 * The message a client sees: a {@link PlainMessageException}'s (jq's and Lua's wording) as is,
	 * otherwise the innermost cause's.
	 */
	private static String message(Throwable ex) {
		return (ex instanceof PlainMessageException) ? ex.getMessage() : Errors.plainMessage(ex);
	}

	private static List<ObjectNode> renamed(List<ObjectNode> errors, String name) {
		return (name != null) ? StateOps.renameErrors(errors, name) : errors;
	}

	static boolean isJson(String contentType) {
		if (contentType == null) {
			return true;
		}
		String type = contentType.toLowerCase(java.util.Locale.ROOT);
		int semicolon = type.indexOf(';');
		if (semicolon >= 0) {
			type = type.substring(0, semicolon).trim();
		}
		return type.equals("application/json") || type.endsWith("+json");
	}

	/** Maps a run's outcome, synchronously when the run already completed. */
	private static Mono<RunResult> then(Mono<RunResult> mono, Function<RunResult, RunResult> mapper) {
		RunResult immediate = now(mono);
		if (immediate != null) {
			return Mono.just(mapper.apply(immediate));
		}
		return mono.map(mapper);
	}

	/** The value of a Mono that already holds one ({@code Mono.just}), else {@code null}. */
	@SuppressWarnings("unchecked")
	static <T> T now(Mono<T> mono) {
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

	static ArrayNode errorsOf(JsonNode state) {
		return (ArrayNode) state.get("errors");
	}

}
