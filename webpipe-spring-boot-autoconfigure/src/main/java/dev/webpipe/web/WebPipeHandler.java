package dev.webpipe.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.CompiledRoute;
import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.middleware.Errors;
import dev.webpipe.runtime.FatalPipelineException;
import dev.webpipe.runtime.Monos;
import dev.webpipe.runtime.RequestContext;
import dev.webpipe.runtime.RunResult;
import dev.webpipe.instrumentation.ActiveInstrumentation;

/**
 * Serves one request of a {@code .wp} route (docs/architecture.md#one-request): request to state
 * (docs/runtime.md#the-request-state), the featureFlags pipeline (docs/flow-control.md#the-featureflags-pipeline),
 * the route's pipeline, and state to response (docs/runtime.md#the-response). Bad requests answer 4xx with a
 * JSON error; failures that are not typed errors answer the 500 of docs/runtime.md#unhandled-errors, never a
 * stack trace. With a {@link ServerTimingInstrumentation}, responses carry its {@code Server-Timing} header.
 */
public final class WebPipeHandler {

	private static final Logger logger = LoggerFactory.getLogger(WebPipeHandler.class);

	private final CompiledProgram program;

	private final RequestStateReader reader;

	private final ResponseWriter writer;

	private final @Nullable String env;

	private final Set<String> envNames;

	private final ErrorDetails errorDetails;

	private final @Nullable ServerTimingInstrumentation serverTiming;

	private final @Nullable PrincipalReader principals;

	/**
	 * A handler whose error responses show no details ({@link ErrorDetails#NEVER}).
	 * @param program the compiled program
	 * @param reader builds the request state
	 * @param env the environment name ({@code webpipe.env}), or {@code null}
	 * @param envNames the names {@code @env} accepts (environment name and active profiles)
	 */
	public WebPipeHandler(CompiledProgram program, RequestStateReader reader, @Nullable String env, Set<String> envNames) {
		this(program, reader, env, envNames, ErrorDetails.NEVER, null);
	}

	/**
	 * @param program the compiled program
	 * @param reader builds the request state
	 * @param env the environment name ({@code webpipe.env}), or {@code null}
	 * @param envNames the names {@code @env} accepts (environment name and active profiles)
	 * @param errorDetails what error responses show ({@code webpipe.errors.include-details}), unless the run's
	 * instrumentation asks for every detail ({@link ActiveInstrumentation#includesErrorDetails()})
	 * @param serverTiming the instrumentation whose entries become the {@code Server-Timing} header (it must be
	 * one of the program's instrumentations), or {@code null} for no header
	 */
	public WebPipeHandler(CompiledProgram program, RequestStateReader reader, @Nullable String env, Set<String> envNames,
			ErrorDetails errorDetails, @Nullable ServerTimingInstrumentation serverTiming) {
		this(program, reader, env, envNames, errorDetails, serverTiming, null);
	}

	/**
	 * @param program the compiled program
	 * @param reader builds the request state
	 * @param env the environment name ({@code webpipe.env}), or {@code null}
	 * @param envNames the names {@code @env} accepts (environment name and active profiles)
	 * @param errorDetails what error responses show ({@code webpipe.errors.include-details})
	 * @param serverTiming the instrumentation whose entries become the {@code Server-Timing} header, or {@code null}
	 * @param principals reads {@code $context.principal} of each request (docs/security.md#spring-security), or
	 * {@code null}: then {@code $context} has no {@code principal}
	 */
	public WebPipeHandler(CompiledProgram program, RequestStateReader reader, @Nullable String env, Set<String> envNames,
			ErrorDetails errorDetails, @Nullable ServerTimingInstrumentation serverTiming,
			@Nullable PrincipalReader principals) {
		this.principals = principals;
		this.serverTiming = serverTiming;
		this.program = program;
		this.reader = reader;
		this.writer = new ResponseWriter(program.errorStatuses());
		this.env = env;
		this.envNames = Set.copyOf(envNames);
		this.errorDetails = errorDetails;
	}

	/**
	 * This handler's settings serving another program: the one a reload put in place
	 * (docs/reload.md#what-a-reload-replaces).
	 */
	public WebPipeHandler withProgram(CompiledProgram program) {
		if (program == this.program) {
			return this;
		}
		return new WebPipeHandler(program, this.reader, this.env, this.envNames, this.errorDetails, this.serverTiming,
				this.principals);
	}

	HandlerFunction<ServerResponse> handlerFor(CompiledRoute route) {
		return new RouteHandler(this, route);
	}

	/** The handler function of a route of {@code loaded}, a program of a {@link ProgramHolder}. */
	HandlerFunction<ServerResponse> handlerFor(CompiledRoute route, ProgramHolder.Loaded loaded,
			Supplier<RouterFunction<ServerResponse>> serving) {
		return new RouteHandler(this, route, loaded, serving);
	}

	/**
	 * The handler function of one route. Its {@code toString} is what {@code /actuator/mappings}
	 * shows as the handler (docs/operations.md#mappings): the route as written and its
	 * {@code file:line}, e.g. {@code GET /users/:id (routes/users.wp:12)}.
	 */
	static final class RouteHandler implements HandlerFunction<ServerResponse> {

		private final WebPipeHandler handler;

		private final CompiledRoute route;

		private final String label;

		private final String description;

		private final ProgramHolder.@Nullable Loaded loaded;

		private final @Nullable Supplier<RouterFunction<ServerResponse>> serving;

		RouteHandler(WebPipeHandler handler, CompiledRoute route) {
			this(handler, route, null, null);
		}

		/**
		 * A route of a held program: its request counts on that program until it has ended, so the program's
		 * resources stay open meanwhile (docs/reload.md#what-a-reload-replaces); a request routed to a program that
		 * was replaced and has drained meanwhile is routed again, on {@code serving}, the program now serving.
		 */
		RouteHandler(WebPipeHandler handler, CompiledRoute route, ProgramHolder.@Nullable Loaded loaded,
				@Nullable Supplier<RouterFunction<ServerResponse>> serving) {
			this.handler = handler;
			this.route = route;
			this.label = route.label();
			this.description = this.label + " (" + route.location().file() + ":" + route.location().span().line() + ")";
			this.loaded = loaded;
			this.serving = serving;
		}

		@Override
		public Mono<ServerResponse> handle(ServerRequest request) {
			ProgramHolder.Loaded program = this.loaded;
			if (program == null) {
				return this.handler.handle(this.route, this.label, request);
			}
			// a handler of a program that may be replaced knows the program now serving
			Supplier<RouterFunction<ServerResponse>> serving = Objects.requireNonNull(this.serving);
			return Mono.defer(() -> {
				if (!program.enter()) {
					return serving.get().route(request)
						.flatMap((next) -> next.handle(request))
						.switchIfEmpty(Mono.defer(() -> ServerResponse.notFound().build()));
				}
				Mono<ServerResponse> response;
				try {
					response = this.handler.handle(this.route, this.label, request);
				}
				catch (RuntimeException | Error ex) {
					program.exit();
					throw ex;
				}
				return response.doFinally((signal) -> program.exit());
			});
		}

		@Override
		public String toString() {
			return this.description;
		}

	}

	/**
	 * Where a step of the way is already done (a request without a body gives its state at once; the response
	 * of a final state is ready at once), the next one follows directly rather than through an operator.
	 */
	private Mono<ServerResponse> handle(CompiledRoute route, String label, ServerRequest request) {
		boolean head = request.method() == HttpMethod.HEAD;
		Mono<ServerResponse> response;
		try {
			Mono<ObjectNode> read = this.reader.read(request, pathVariables(request));
			ObjectNode state = Monos.now(read);
			response = (state != null) ? run(route, label, request, state, head)
					: read.flatMap((value) -> run(route, label, request, value, head));
		}
		catch (RuntimeException ex) {
			response = Mono.error(ex);
		}
		return response.onErrorResume((ex) -> (ex instanceof BadRequestException badRequest)
				? this.writer.badRequest(badRequest, head) : fatal(route, request, ex, head, null));
	}

	/** The featureFlags pipeline (when there is one), then the route; first the principal, when it is read. */
	private Mono<ServerResponse> run(CompiledRoute route, String label, ServerRequest request, ObjectNode state,
			boolean head) {
		if (this.principals != null) {
			return this.principals.read(request.exchange())
				.flatMap((principal) -> run(route, label, request, state, head, Map.of(PrincipalReader.KEY, principal)));
		}
		return run(route, label, request, state, head, Map.of());
	}

	private Mono<ServerResponse> run(CompiledRoute route, String label, ServerRequest request, ObjectNode state,
			boolean head, Map<String, JsonNode> entries) {
		Mono<RequestContext> begun = this.program.executor().begin(state, label, this.env, this.envNames, entries);
		RequestContext context = Monos.now(begun);
		return (context != null) ? execute(route, request, context, head)
				: begun.flatMap((value) -> execute(route, request, value, head));
	}

	private Mono<ServerResponse> execute(CompiledRoute route, ServerRequest request, RequestContext context,
			boolean head) {
		return this.program.executor().execute(route.pipeline(), context.request(), context).flatMap((result) -> {
			ActiveInstrumentation instrumentation = context.instrumentation();
			if (this.serverTiming != null && instrumentation != null) {
				String header = ServerTimingInstrumentation.header(instrumentation.stateOf(this.serverTiming));
				if (header != null) {
					request.exchange().getResponse().getHeaders().set("Server-Timing", header);
				}
			}
			return respond(route, request, result, context, head);
		}).onErrorResume((ex) -> !(ex instanceof BadRequestException), (ex) -> fatal(route, request, ex, head, context));
	}

	private Mono<ServerResponse> respond(CompiledRoute route, ServerRequest request, RunResult result,
			RequestContext context, boolean head) {
		JsonNode state = result.state();
		boolean unhandled = context.unhandledError() && Errors.hasTypedError(state);
		if (unhandled) {
			String id = requestId(request);
			logger.warn("[{}] {} ({}) answered with an unhandled {}: {}", id, route.label(), route.location(),
					Errors.firstType(state), state.get("errors"));
			return this.writer.write(state, result.status(), result.contentType(), true, head, id,
					errorDetails(context))
				.doOnNext((written) -> context.complete(written.statusCode().value(), state));
		}
		Mono<ServerResponse> response = this.writer.write(state, result.status(), result.contentType(), false,
				head);
		ServerResponse ready = Monos.now(response);
		if (ready != null) {
			context.complete(ready.statusCode().value(), state);
			return response;
		}
		return response.doOnNext((written) -> context.complete(written.statusCode().value(), state));
	}

	/** The fatal-error response (docs/runtime.md#what-an-unhandled-error-shows-the-client); the log line carries the details, the stack trace and the request id. */
	private Mono<ServerResponse> fatal(CompiledRoute route, ServerRequest request, Throwable ex, boolean head,
			@Nullable RequestContext context) {
		String details = (ex instanceof FatalPipelineException fatal) ? fatal.getMessage()
				: Errors.plainMessage(ex) + " (route " + route.label() + " at " + route.location() + ")";
		String id = requestId(request);
		logger.error("[{}] Pipeline execution failed for {} at {}: {}", id, route.label(), route.location(), details,
				ex);
		return this.writer.fatal(id, details, errorDetails(context), head);
	}

	/** The configured disclosure, unless the run's instrumentation asks for every detail (the test runner's does). */
	private ErrorDetails errorDetails(@Nullable RequestContext context) {
		ActiveInstrumentation instrumentation = (context != null) ? context.instrumentation() : null;
		return (instrumentation != null && instrumentation.includesErrorDetails()) ? ErrorDetails.ALWAYS
				: this.errorDetails;
	}

	/**
	 * The id of the request as Spring knows it ({@code ServerHttpRequest#getId()}, the prefix of WebFlux's own log
	 * lines for the exchange), so an error response can be matched with the log.
	 */
	static String requestId(ServerRequest request) {
		return request.exchange().getRequest().getId();
	}

	/** Path variables; a catch-all ({@code *name}) value loses its leading {@code /}. */
	private static Map<String, String> pathVariables(ServerRequest request) {
		Map<String, String> variables = request.pathVariables();
		Map<String, String> result = null;
		for (Map.Entry<String, String> entry : variables.entrySet()) {
			if (entry.getValue().startsWith("/")) {
				if (result == null) {
					result = new LinkedHashMap<>(variables);
				}
				result.put(entry.getKey(), entry.getValue().substring(1));
			}
		}
		return (result != null) ? result : variables;
	}

}
