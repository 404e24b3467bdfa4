package dev.webpipe.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.CompiledRoute;
import dev.webpipe.compile.ProgramHolder;

/**
 * Turns a compiled program into WebFlux router functions (docs/architecture.md#one-request): the routes, most
 * specific first (looked up through a {@link RouteIndex}, so the cost does not grow with their number), and a fallback that answers 405 and {@code OPTIONS} for paths that only
 * {@code .wp} routes serve. Requests that match neither are left to the application.
 */
public final class WebPipeRouterFunctions {

	private WebPipeRouterFunctions() {
	}

	/**
	 * One router function serving every route of the program. Each route's Spring pattern
	 * ({@code /users/{id}}) is recorded as the matched pattern, so metrics and
	 * {@code /actuator/mappings} name it.
	 */
	public static RouterFunction<ServerResponse> routes(CompiledProgram program, WebPipeHandler handler) {
		return routes(program, handler::handlerFor);
	}

	/**
	 * One router function serving every route of the program the holder serves now
	 * (docs/reload.md#what-a-reload-replaces): after a reload, new requests find the new program's routes, and a
	 * request counts on the program it was routed to until it has ended.
	 * @param holder the program now serving
	 * @param handler serves requests (with its settings, for each program the holder serves)
	 */
	public static RouterFunction<ServerResponse> routes(ProgramHolder holder, WebPipeHandler handler) {
		ProgramRouterFunction[] serving = new ProgramRouterFunction[1];
		serving[0] = new ProgramRouterFunction(holder, (loaded) -> {
			WebPipeHandler programHandler = handler.withProgram(loaded.program());
			return routes(loaded.program(), (route) -> programHandler.handlerFor(route, loaded, () -> serving[0]));
		});
		return serving[0];
	}

	/** The 405/{@code OPTIONS} fallback of the program the holder serves now. */
	public static RouterFunction<ServerResponse> fallback(ProgramHolder holder) {
		return new ProgramRouterFunction(holder, (loaded) -> fallback(loaded.program()));
	}

	private static RouterFunction<ServerResponse> routes(CompiledProgram program,
			Function<CompiledRoute, HandlerFunction<ServerResponse>> handlers) {
		List<RouteIndex.Entry> entries = new ArrayList<>();
		for (CompiledRoute route : program.routes()) {
			RequestPredicate method = RequestPredicates.method(HttpMethod.valueOf(route.method()));
			List<String> methods = List.of(route.method());
			if (route.method().equals("GET")) {
				method = method.or(RequestPredicates.method(HttpMethod.HEAD));
				methods = List.of("GET", "HEAD");
			}
			entries.add(new RouteIndex.Entry(methods, route.pattern(),
					RouterFunctions.route(method.and(RequestPredicates.path(route.pattern())),
							handlers.apply(route))));
		}
		return RouteIndex.of(entries);
	}

	/**
	 * The 405/{@code OPTIONS} fallback, to be consulted after the application's controllers and
	 * before static resources.
	 */
	public static RouterFunction<ServerResponse> fallback(CompiledProgram program) {
		Map<String, Set<String>> methodsByPattern = new LinkedHashMap<>();
		for (CompiledRoute route : program.routes()) {
			Set<String> methods = methodsByPattern.computeIfAbsent(route.pattern(), (key) -> new LinkedHashSet<>());
			methods.add(route.method());
			if (route.method().equals("GET")) {
				methods.add("HEAD");
			}
		}
		List<RouteIndex.Entry> entries = new ArrayList<>();
		methodsByPattern.forEach((pattern, methods) -> {
			List<String> allowed = new ArrayList<>(methods);
			allowed.add("OPTIONS");
			String allow = String.join(", ", allowed);
			entries.add(new RouteIndex.Entry(null, pattern,
					RouterFunctions.route(RequestPredicates.path(pattern), new AllowHandler(allow))));
		});
		return RouteIndex.of(entries);
	}

	/**
	 * Answers {@code OPTIONS} with 204 and any other method with 405, both with {@code Allow}. Its
	 * {@code toString} is what {@code /actuator/mappings} shows (docs/operations.md#mappings).
	 */
	private record AllowHandler(String allow) implements HandlerFunction<ServerResponse> {

		@Override
		public Mono<ServerResponse> handle(ServerRequest request) {
			if (request.method() == HttpMethod.OPTIONS) {
				return ServerResponse.noContent().header("Allow", this.allow).build();
			}
			return ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED).header("Allow", this.allow).build();
		}

		@Override
		public String toString() {
			return "WebPipe 405/OPTIONS (Allow: " + this.allow + ")";
		}

	}

}
