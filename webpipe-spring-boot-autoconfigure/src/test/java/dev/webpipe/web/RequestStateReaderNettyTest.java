package dev.webpipe.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reader on a real Reactor Netty server, where it reads headers from Netty and skips the body of a request
 * that declares none: the state is the one the generic path (a decorated request) builds.
 */
class RequestStateReaderNettyTest {

	private static final RequestStateReader reader = new RequestStateReader(RequestStateReader.DEFAULT_MAX_IN_MEMORY_SIZE);

	private static DisposableServer server;

	@BeforeAll
	static void start() {
		RouterFunction<ServerResponse> routes = RouterFunctions.route()
			.GET("/both", RequestStateReaderNettyTest::nativeAndGeneric)
			.route((request) -> true, (request) -> reader.read(request)
				.flatMap((state) -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
					.bodyValue(Json.writeBytes(state))))
			.build();
		WebFilter addHeader = (exchange, chain) -> exchange.getRequest().getPath().value().equals("/mutated")
				? chain.filter(exchange.mutate().request((request) -> request.header("X-Added", "by-filter")).build())
				: chain.filter(exchange);
		ReactorHttpHandlerAdapter adapter = new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder
			.webHandler(RouterFunctions.toWebHandler(routes))
			.filter(addHeader)
			.build());
		server = HttpServer.create().host("127.0.0.1").port(0).handle(adapter).bindNow();
	}

	@AfterAll
	static void stop() {
		server.disposeNow();
	}

	/** The state read natively and read again through a decorated request, which takes the generic path. */
	private static Mono<ServerResponse> nativeAndGeneric(ServerRequest request) {
		ServerWebExchange exchange = request.exchange();
		ServerWebExchange decorated = exchange.mutate()
			.request(new ServerHttpRequestDecorator(exchange.getRequest()))
			.build();
		ServerRequest generic = ServerRequest.create(decorated, HandlerStrategies.withDefaults().messageReaders());
		return Mono.zip(reader.read(request), reader.read(generic)).flatMap((states) -> {
			ObjectNode both = Json.NODES.objectNode();
			both.set("native", states.getT1());
			both.set("generic", states.getT2());
			both.put("nettyRead", ReactorNettyRequests.of(exchange.getRequest()) != null);
			both.put("genericRead", ReactorNettyRequests.of(decorated.getRequest()) == null);
			return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(Json.writeBytes(both));
		});
	}

	private static HttpClient client() {
		return HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());
	}

	private static JsonNode answer(Mono<String> response) {
		return Json.parse(response.block(Duration.ofSeconds(10)));
	}

	@Test
	void headersAreLowerCasedJoinedInFirstOccurrenceOrderAsOnTheGenericPath() {
		JsonNode both = answer(client()
			.headers((headers) -> headers.add("X-Trace", "a")
				.add("Accept", "text/html")
				.add("x-trace", "b")
				.add("Cookie", "a=1")
				.add("cookie", "b=2; c=3")
				.add("X-Empty", ""))
			.get()
			.uri("/both")
			.responseContent()
			.aggregate()
			.asString());
		JsonNode headers = both.get("native").get("headers");
		assertThat(headers.get("x-trace").textValue()).isEqualTo("a, b");
		assertThat(headers.get("accept").textValue()).isEqualTo("text/html");
		assertThat(headers.get("cookie").textValue()).isEqualTo("a=1; b=2; c=3");
		assertThat(headers.get("x-empty").textValue()).isEmpty();
		assertThat(both.get("nettyRead").booleanValue()).isTrue();
		assertThat(both.get("genericRead").booleanValue()).isTrue();
		assertThat(both.get("native")).isEqualTo(both.get("generic"));
		assertThat(Json.write(both.get("native").get("body"))).isEqualTo("{}");
		assertThat(Json.write(both.get("native").get("cookies"))).isEqualTo("{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}");
	}

	@Test
	void bodiesWithALengthOrChunkedAreRead() {
		JsonNode withLength = answer(client()
			.headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
			.post()
			.uri("/x")
			.send(ByteBufFlux.fromString(Mono.just("{\"qty\":3}")))
			.responseContent()
			.aggregate()
			.asString());
		assertThat(Json.write(withLength.get("body"))).isEqualTo("{\"qty\":3}");
		JsonNode chunked = answer(client()
			.headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
			.post()
			.uri("/x")
			.send(ByteBufFlux.fromString(Flux.just("{\"qty\":", "4}")))
			.responseContent()
			.aggregate()
			.asString());
		assertThat(Json.write(chunked.get("body"))).isEqualTo("{\"qty\":4}");
		assertThat(chunked.get("headers").get("transfer-encoding").textValue()).isEqualTo("chunked");
	}

	@Test
	void aRequestMutatedByAFilterIsReadAsTheFilterLeftIt() {
		JsonNode state = answer(client().get().uri("/mutated").responseContent().aggregate().asString());
		assertThat(state.get("headers").get("x-added").textValue()).isEqualTo("by-filter");
	}

	@Test
	void anEmptyBodyWithAZeroLengthIsAnEmptyObject() {
		JsonNode state = answer(client()
			.headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain"))
			.post()
			.uri("/x")
			.send(ByteBufFlux.fromString(Mono.just("")))
			.responseContent()
			.aggregate()
			.asString());
		assertThat(Json.write(state.get("body"))).isEqualTo("{}");
		assertThat(new String(Json.writeBytes(state.get("content_type")), StandardCharsets.UTF_8))
			.isEqualTo("\"text/plain\"");
	}

}
