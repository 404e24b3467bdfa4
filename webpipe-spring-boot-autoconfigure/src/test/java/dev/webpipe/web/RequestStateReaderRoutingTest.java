package dev.webpipe.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.webpipe.middleware.Json;

/** The reader behind a real WebFlux route: path variables as Spring matches them, bodies as the server reads them. */
class RequestStateReaderRoutingTest {

	private final RequestStateReader reader = new RequestStateReader(64);

	private final WebTestClient client = WebTestClient.bindToRouterFunction(routes()).build();

	private RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.route(request -> true, request -> this.reader.read(request)
				.flatMap(state -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(Json.writeBytes(state)))
				.onErrorResume(BadRequestException.class, ex -> ServerResponse.status(ex.status())
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(Json.writeBytes(ex.body()))))
			.build();
	}

	@Test
	void pathVariablesArriveDecodedAreCoercedOnceAndKeepPatternOrder() {
		WebTestClient client = WebTestClient.bindToRouterFunction(RouterFunctions.route()
			.GET("/items/{id}/{name}/{*rest}", request -> this.reader.read(request)
				.flatMap(state -> ServerResponse.ok().bodyValue(Json.writeBytes(state.get("params")))))
			.build()).build();
		client.get()
			.uri(URI.create("/items/017/a%2541%20b/x/y%20z"))
			.exchange()
			.expectStatus().isOk()
			.expectBody(String.class)
			.isEqualTo("{\"id\":\"017\",\"name\":\"a%41 b\",\"rest\":\"/x/y z\"}");
		client.get().uri("/items/17/n/r").exchange().expectBody(String.class)
			.isEqualTo("{\"id\":17,\"name\":\"n\",\"rest\":\"/r\"}");
	}

	@Test
	void bodyOverTheLimitIs413() {
		byte[] body = "[\"0123456789012345678901234567890123456789012345678901234567890123456789\"]"
			.getBytes(StandardCharsets.UTF_8);
		this.client.post().uri("/x").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
			.exchange()
			.expectStatus().isEqualTo(413)
			.expectBody()
			.jsonPath("$.errors[0].type").isEqualTo("validationError")
			.jsonPath("$.errors[0].rule").isEqualTo("size");
	}

	@Test
	void jsonBodyAndQueryThroughTheServer() {
		this.client.post().uri("/orders?page=2&q=red+shoes").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"qty\":3}".getBytes(StandardCharsets.UTF_8))
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.query.page").isEqualTo(2)
			.jsonPath("$.query.q").isEqualTo("red shoes")
			.jsonPath("$.body.qty").isEqualTo(3)
			.jsonPath("$.path").isEqualTo("/orders");
	}

	@Test
	void malformedJsonIs400() {
		this.client.post().uri("/x").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{oops".getBytes(StandardCharsets.UTF_8))
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].rule").isEqualTo("json")
			.jsonPath("$.errors[0].field").isEqualTo("body");
	}

}
