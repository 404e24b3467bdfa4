package dev.webpipe.compile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ErrorContract;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.runtime.CompiledPipeline;
import dev.webpipe.runtime.Stage;
import dev.webpipe.runtime.jq.JqProgram;

/**
 * What a route's compiled steps say about its HTTP contract, read from the declarations of its
 * middleware and never from their names (docs/openapi.md#what-is-inferred): the path parameters,
 * the query parameters its steps read, the request body schemas its steps enforce, and its
 * responses: the success status ({@code ok(…)} or 200), every {@code result} branch with its
 * type, the statuses of the errors its middleware declare that no branch handles, and 500.
 * Named pipelines it calls count as its own steps.
 *
 * @param pathParameters the names of the path's {@code :name} and {@code *name} segments, in order
 * @param queryParameters the query parameters read, in the order first read
 * @param requestBodySchemas the JSON Schemas of the request body its steps declare, in step order
 * @param responses the responses by status, ascending
 */
public record RouteContract(List<String> pathParameters, List<String> queryParameters,
		List<JsonNode> requestBodySchemas, List<Response> responses) {

	public RouteContract {
		pathParameters = List.copyOf(pathParameters);
		queryParameters = List.copyOf(queryParameters);
		requestBodySchemas = List.copyOf(requestBodySchemas);
		responses = List.copyOf(responses);
	}

	/**
	 * One status the route can answer.
	 *
	 * @param status the HTTP status
	 * @param success whether a successful run answers it ({@code ok(…)}, or 200 without one)
	 * @param branches the types of the {@code result} branches that answer it ({@code default} for
	 * that branch)
	 * @param errors the error types that answer it when no branch handles them
	 * @param html whether a successful run or a branch answers it with an HTML page (the pipeline
	 * ends in a step of {@link Behavior#RENDER})
	 */
	public record Response(int status, boolean success, List<String> branches, List<String> errors, boolean html) {

		public Response {
			branches = List.copyOf(branches);
			errors = List.copyOf(errors);
		}

	}

	/** The contract of one route of {@code program}, whose middleware {@code registry} holds. */
	public static RouteContract of(CompiledRoute route, CompiledProgram program, MiddlewareRegistry registry) {
		Walk walk = new Walk(program, registry);
		walk.pipeline(route.pipeline());
		Map<Integer, Builder> responses = new TreeMap<>();
		if (walk.successStatuses.isEmpty()) {
			walk.successStatuses.add(200);
		}
		boolean html = walk.endsInRender(route.pipeline(), new HashSet<>());
		for (int status : walk.successStatuses) {
			Builder response = responses.computeIfAbsent(status, Builder::new);
			response.success = true;
			response.html |= html;
		}
		walk.branches.forEach((status, branches) -> {
			Builder response = responses.computeIfAbsent(status, Builder::new);
			response.branches.addAll(branches.keySet());
			response.html |= branches.containsValue(true);
		});
		walk.pending.forEach((type, status) -> responses.computeIfAbsent(status, Builder::new).errors.add(type));
		responses.computeIfAbsent(500, Builder::new);
		List<Response> built = responses.values().stream().map(Builder::build).toList();
		return new RouteContract(pathParameters(route.path()), new ArrayList<>(walk.query), walk.bodies, built);
	}

	/** {@code id} and {@code rest} for {@code /users/:id/files/*rest}. */
	static List<String> pathParameters(String path) {
		List<String> names = new ArrayList<>();
		for (String segment : path.split("/")) {
			if (segment.startsWith(":") || segment.startsWith("*")) {
				names.add(segment.substring(1));
			}
		}
		return names;
	}

	private static final class Builder {

		private final int status;

		private boolean success;

		private final Set<String> branches = new LinkedHashSet<>();

		private final Set<String> errors = new LinkedHashSet<>();

		private boolean html;

		Builder(int status) {
			this.status = status;
		}

		Response build() {
			return new Response(this.status, this.success, new ArrayList<>(this.branches),
					new ArrayList<>(this.errors), this.html);
		}

	}

	/** One walk over a route's stages and the pipelines it calls, in order. */
	private static final class Walk {

		private final CompiledProgram program;

		private final MiddlewareRegistry registry;

		private final Set<String> query = new LinkedHashSet<>();

		private final List<JsonNode> bodies = new ArrayList<>();

		private final Set<Integer> successStatuses = new LinkedHashSet<>();

		/** Result branches by status: type, and whether its body ends in a page. */
		private final Map<Integer, Map<String, Boolean>> branches = new TreeMap<>();

		/** Errors raised and not handled by a result block (yet): type and status. */
		private final Map<String, Integer> pending = new LinkedHashMap<>();

		/** The named pipelines being walked: a recursive call is walked once. */
		private final Set<String> calling = new HashSet<>();

		Walk(CompiledProgram program, MiddlewareRegistry registry) {
			this.program = program;
			this.registry = registry;
		}

		void pipeline(CompiledPipeline pipeline) {
			for (Stage stage : pipeline.stages()) {
				stage(stage);
			}
		}

		void stage(Stage stage) {
			if (stage instanceof Stage.Step step) {
				step(step);
			}
			else if (stage instanceof Stage.Call call) {
				arguments(Optional.ofNullable(call.argument()).stream().toList());
				CompiledPipeline called = this.program.pipelines().get(call.pipeline());
				if (called != null && this.calling.add(call.pipeline())) {
					pipeline(called);
					this.calling.remove(call.pipeline());
				}
			}
			else if (stage instanceof Stage.Async async) {
				stage(async.inner());
			}
			else if (stage instanceof Stage.Result result) {
				result(result);
			}
			else {
				// if, dispatch, foreach: their nested pipelines; a join has none
				stage.nested().forEach(this::pipeline);
			}
		}

		private void step(Stage.Step step) {
			this.query.addAll(step.step().queryParameters());
			arguments(step.arguments());
			JsonNode body = step.step().requestBodySchema();
			if (body != null) {
				this.bodies.add(body);
			}
			Optional<Middleware> middleware = this.registry.find(step.middleware());
			for (ErrorContract contract : middleware.map(Middleware::errors).orElse(List.of())) {
				String type = (step.errorRename() != null) ? step.errorRename() : contract.type();
				this.pending.putIfAbsent(type, this.program.errorStatuses().status(type));
			}
		}

		private void arguments(List<JqProgram> arguments) {
			for (JqProgram argument : arguments) {
				this.query.addAll(argument.queryParameters());
			}
		}

		private void result(Stage.Result result) {
			if (result.branches().containsKey("default")) {
				this.pending.clear();
			}
			else {
				this.pending.keySet().removeAll(result.branches().keySet());
			}
			for (Stage.Branch branch : result.branches().values()) {
				boolean html = endsInRender(branch.body(), new HashSet<>());
				if (branch.type().equals("ok")) {
					this.successStatuses.add(branch.status());
				}
				else {
					this.branches.computeIfAbsent(branch.status(), (status) -> new LinkedHashMap<>())
						.merge(branch.type(), html, Boolean::logicalOr);
				}
			}
			// errors raised inside a branch are handled by no branch of this block
			for (Stage.Branch branch : result.branches().values()) {
				pipeline(branch.body());
			}
		}

		/**
		 * Whether a successful run of the pipeline ends with an HTML page: its last step that
		 * changes the state renders one, looking into the {@code ok} branch of a final
		 * {@code result}, called pipelines and both sides of an {@code if}.
		 */
		boolean endsInRender(CompiledPipeline pipeline, Set<String> seen) {
			List<Stage> stages = pipeline.stages();
			for (int i = stages.size() - 1; i >= 0; i--) {
				Stage stage = stages.get(i);
				if (stage instanceof Stage.Step step) {
					if (step.ignoredByLookahead()) {
						continue;
					}
					return step.behavior() == Behavior.RENDER;
				}
				if (stage instanceof Stage.Result result) {
					Stage.Branch ok = result.branches().get("ok");
					if (ok == null || ok.body().stages().isEmpty()) {
						continue;
					}
					return endsInRender(ok.body(), seen);
				}
				if (stage instanceof Stage.Call call) {
					CompiledPipeline called = this.program.pipelines().get(call.pipeline());
					return called != null && seen.add(call.pipeline()) && endsInRender(called, seen);
				}
				if (stage instanceof Stage.If branch) {
					return branch.otherwise() != null && endsInRender(branch.then(), seen)
							&& endsInRender(branch.otherwise(), seen);
				}
				if (stage instanceof Stage.Dispatch dispatch) {
					return dispatch.otherwise() != null && endsInRender(dispatch.otherwise(), seen)
							&& dispatch.cases().stream().allMatch((c) -> endsInRender(c.body(), seen));
				}
				return false;
			}
			return false;
		}

	}

}
