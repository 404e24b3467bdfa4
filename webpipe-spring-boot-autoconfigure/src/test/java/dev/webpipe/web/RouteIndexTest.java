package dev.webpipe.web;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route index answers every request exactly as the plain chain of route functions it
 * replaces: same route, same matched pattern, same path variables (docs/performance.md#routing).
 */
class RouteIndexTest {

	/** Routes in the order the compiler gives them (most specific first), some overlapping. */
	private static final String[][] ROUTES = { { "GET", "/" }, { "GET", "/users/me" }, { "GET", "/users/{id}" },
			{ "POST", "/users/{id}" }, { "GET", "/users/{id}/posts/{post}" }, { "GET", "/users/" },
			{ "GET", "/users" }, { "DELETE", "/users/{id}" }, { "GET", "/files/{*rest}" }, { "GET", "/{a}/{b}" },
			{ "PUT", "/{*all}" }, { "GET", "/café/{x}" }, { "GET", "/v1/items/{id}" }, { "GET", "/v1/{kind}/42" } };

	private static final String[] PATHS = { "/", "/users", "/users/", "/users/me", "/users/1", "/users/1/posts/2",
			"/users/1/posts", "/files", "/files/", "/files/a/b/c", "/x/y", "/x/y/z", "/a//b", "/users//", "/users/%2F",
			"/USERS/1", "/users/1;x=y", "/users/me;v=1", "/caf%C3%A9/1", "/v1/items/42", "/v1/things/42",
			"/v1/items/43", "/nothing/here/at/all", "/" + "s/".repeat(200) + "end" };

	private static final HttpMethod[] METHODS = { HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
			HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS };

	@Test
	void answersEveryRequestAsThePlainChainDoes() {
		List<RouteIndex.Entry> entries = new ArrayList<>();
		RouterFunctions.Builder chain = RouterFunctions.route();
		for (String[] route : ROUTES) {
			RequestPredicate predicate = RequestPredicates.method(HttpMethod.valueOf(route[0]));
			List<String> methods = List.of(route[0]);
			if (route[0].equals("GET")) {
				predicate = predicate.or(RequestPredicates.method(HttpMethod.HEAD));
				methods = List.of("GET", "HEAD");
			}
			predicate = predicate.and(RequestPredicates.path(route[1]));
			String label = route[0] + " " + route[1];
			entries.add(new RouteIndex.Entry(methods, route[1],
					RouterFunctions.route(predicate, (request) -> answer(label, request))));
			chain.route(predicate, (request) -> answer(label, request));
		}
		RouterFunction<ServerResponse> index = RouteIndex.of(entries);
		RouterFunction<ServerResponse> plain = chain.build();
		int matched = 0;
		for (HttpMethod method : METHODS) {
			for (String path : PATHS) {
				String expected = outcome(plain, method, path);
				assertThat(outcome(index, method, path)).as(method + " " + path).isEqualTo(expected);
				if (!expected.equals("none")) {
					matched++;
				}
			}
		}
		assertThat(matched).as("requests that some route matched").isGreaterThan(30);
	}

	/**
	 * Among 10,000 routes shaped as in the routing benchmark, a request tries one route function
	 * (its own), whichever route it is, and a request no route matches tries none: the work per
	 * request does not grow with the number of routes (docs/performance.md#routing).
	 */
	@Test
	void triesOnlyTheRouteARequestCanMatchAmongTenThousand() {
		int[] tried = new int[1];
		List<RouteIndex.Entry> entries = new ArrayList<>();
		List<String> patterns = new ArrayList<>();
		patterns.add("/hello/{name}");
		for (int i = 0; i < 10_000; i++) {
			patterns.add((i % 2 == 0) ? "/svc" + i + "/items/{id}" : "/p" + i + "/{a}/{b}/{c}");
		}
		for (String pattern : patterns) {
			RouterFunction<ServerResponse> function = RouterFunctions.route(
					RequestPredicates.method(HttpMethod.GET).and(RequestPredicates.path(pattern)),
					(request) -> answer(pattern, request));
			entries.add(new RouteIndex.Entry(List.of("GET", "HEAD"), pattern, (request) -> {
				tried[0]++;
				return function.route(request);
			}));
		}
		RouterFunction<ServerResponse> index = RouteIndex.of(entries);
		String[][] requests = { { "/hello/world", "/hello/{name}" }, { "/svc0/items/7", "/svc0/items/{id}" },
				{ "/svc5000/items/7", "/svc5000/items/{id}" }, { "/svc9998/items/7", "/svc9998/items/{id}" },
				{ "/p9999/x/y/z", "/p9999/{a}/{b}/{c}" }, { "/p1/x/y/z", "/p1/{a}/{b}/{c}" } };
		for (String[] request : requests) {
			tried[0] = 0;
			assertThat(outcome(index, HttpMethod.GET, request[0])).as(request[0]).startsWith(request[1] + "|");
			assertThat(tried[0]).as("route functions tried for " + request[0]).isEqualTo(1);
		}
		for (String path : new String[] { "/p9999/x/y", "/svc1/items/7", "/nothing", "/hello" }) {
			tried[0] = 0;
			assertThat(outcome(index, HttpMethod.GET, path)).as(path).isEqualTo("none");
			assertThat(tried[0]).as("route functions tried for " + path).isZero();
		}
	}

	@Test
	void fallbackEntriesForEveryMethodAreFoundForAnyMethod() {
		RouterFunction<ServerResponse> index = RouteIndex.of(List.of(new RouteIndex.Entry(null, "/users/{id}",
				RouterFunctions.route(RequestPredicates.path("/users/{id}"), (request) -> answer("any", request)))));
		assertThat(outcome(index, HttpMethod.PATCH, "/users/7")).startsWith("any|/users/{id}");
		assertThat(outcome(index, HttpMethod.GET, "/users")).isEqualTo("none");
	}

	@Test
	void visitorsSeeEveryRouteInOrder() {
		List<String> seen = new ArrayList<>();
		List<RouteIndex.Entry> entries = new ArrayList<>();
		for (String[] route : ROUTES) {
			entries.add(new RouteIndex.Entry(List.of(route[0]), route[1], RouterFunctions
				.route(RequestPredicates.path(route[1]), (request) -> answer(route[1], request))));
		}
		RouteIndex.of(entries).accept(new RouterFunctions.Visitor() {
			@Override
			public void startNested(RequestPredicate predicate) {
			}

			@Override
			public void endNested(RequestPredicate predicate) {
			}

			@Override
			public void route(RequestPredicate predicate,
					org.springframework.web.reactive.function.server.HandlerFunction<?> handlerFunction) {
				seen.add(predicate.toString());
			}

			@Override
			public void resources(java.util.function.Function<ServerRequest, reactor.core.publisher.Mono<org.springframework.core.io.Resource>> lookupFunction) {
			}

			@Override
			public void attributes(java.util.Map<String, Object> attributes) {
			}

			@Override
			public void unknown(RouterFunction<?> routerFunction) {
				seen.add("unknown");
			}
		});
		assertThat(seen).hasSize(ROUTES.length).doesNotContain("unknown");
		assertThat(seen.get(2)).contains("/users/{id}");
	}

	private static reactor.core.publisher.Mono<ServerResponse> answer(String label, ServerRequest request) {
		String pattern = String.valueOf(request.attributes().get(RouterFunctions.MATCHING_PATTERN_ATTRIBUTE));
		return ServerResponse.ok().header("X-Route", label + "|" + pattern + "|" + request.pathVariables()).build();
	}

	private static String outcome(RouterFunction<ServerResponse> function, HttpMethod method, String path) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.method(method, path));
		ServerRequest request = ServerRequest.create(exchange, HandlerStrategies.withDefaults().messageReaders());
		ServerResponse response = function.route(request).flatMap((handler) -> handler.handle(request)).block();
		return (response != null) ? response.headers().getFirst("X-Route") : "none";
	}

	@SuppressWarnings("unused")
	private static final Class<?> MAPPING = RouterFunctionMapping.class;

}
