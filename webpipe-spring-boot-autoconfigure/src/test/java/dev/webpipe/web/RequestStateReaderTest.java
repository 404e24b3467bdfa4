package dev.webpipe.web;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerRequest;

import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;

class RequestStateReaderTest {

	private final RequestStateReader reader = new RequestStateReader(RequestStateReader.DEFAULT_MAX_IN_MEMORY_SIZE);

	private static ServerRequest request(MockServerHttpRequest request) {
		return ServerRequest.create(MockServerWebExchange.from(request), HandlerStrategies.withDefaults().messageReaders());
	}

	private static MockServerHttpRequest.BodyBuilder builder(HttpMethod method, String rawUri) {
		return MockServerHttpRequest.method(method, URI.create(rawUri));
	}

	private ObjectNode read(MockServerHttpRequest request, Map<String, String> params) {
		return this.reader.read(request(request), params).block();
	}

	private ObjectNode read(MockServerHttpRequest request) {
		return read(request, Map.of());
	}

	@Test
	void fullExampleOfTheSpec() {
		MockServerHttpRequest request = builder(HttpMethod.POST, "/orders/17/items?page=2&q=red+shoes")
			.remoteAddress(new InetSocketAddress("10.0.0.7", 54321))
			.header("Host", "shop.local")
			.header("Content-Type", "application/json")
			.header("Cookie", "sid=ab12")
			.body("{\"sku\":\"A-100\",\"qty\":3}");
		Map<String, String> params = new LinkedHashMap<>();
		params.put("id", "17");
		assertThat(Json.write(read(request, params))).isEqualTo("{\"method\":\"POST\",\"path\":\"/orders/17/items\","
				+ "\"ip\":\"10.0.0.7\",\"query\":{\"page\":2,\"q\":\"red shoes\"},\"params\":{\"id\":17},"
				+ "\"headers\":{\"host\":\"shop.local\",\"content-type\":\"application/json\",\"cookie\":\"sid=ab12\"},"
				+ "\"cookies\":{\"sid\":\"ab12\"},\"body\":{\"sku\":\"A-100\",\"qty\":3},"
				+ "\"content_type\":\"application/json\",\"originalRequest\":{\"method\":\"POST\",\"params\":{\"id\":17},"
				+ "\"query\":{\"page\":2,\"q\":\"red shoes\"}}}");
	}

	@Test
	void minimalGetHasEmptyObjectsAndNoIp() {
		ObjectNode state = read(builder(HttpMethod.GET, "/").build());
		assertThat(Json.write(state)).isEqualTo("{\"method\":\"GET\",\"path\":\"/\",\"query\":{},\"params\":{},"
				+ "\"headers\":{},\"cookies\":{},\"body\":{},\"content_type\":\"application/json\","
				+ "\"originalRequest\":{\"method\":\"GET\",\"params\":{},\"query\":{}}}");
	}

	@Test
	void methodIsUpperCase() {
		assertThat(read(builder(HttpMethod.valueOf("PATCH"), "/x").build()).get("method").textValue()).isEqualTo("PATCH");
		assertThat(read(builder(HttpMethod.valueOf("purge"), "/x").build()).get("method").textValue()).isEqualTo("PURGE");
	}

	@Test
	void pathIsRawWithoutTheQuery() {
		ObjectNode state = read(builder(HttpMethod.GET, "/files/a%20b/%C3%A9+x?name=a%20b").build());
		assertThat(state.get("path").textValue()).isEqualTo("/files/a%20b/%C3%A9+x");
	}

	@Test
	void ipv6RemoteAddress() {
		ObjectNode state = read(builder(HttpMethod.GET, "/").remoteAddress(new InetSocketAddress("::1", 80)).build());
		assertThat(state.get("ip").textValue()).isEqualTo("0:0:0:0:0:0:0:1");
	}

	@Test
	void queryIsDecodedCoercedAndLastDuplicateWins() {
		ObjectNode query = (ObjectNode) read(builder(HttpMethod.GET,
				"/s?q=red+shoes&zip=02134&n=5&n=7&f=1.5&e=&flag&x=%C3%A9%2B&big=12345678901234567890&neg=-3")
			.build()).get("query");
		assertThat(Json.write(query)).isEqualTo("{\"q\":\"red shoes\",\"zip\":\"02134\",\"n\":7,\"f\":1.5,\"e\":\"\","
				+ "\"flag\":\"\",\"x\":\"é+\",\"big\":12345678901234567890,\"neg\":-3}");
	}

	@Test
	void malformedEscapesAreKeptAsTheyAre() {
		// java.net.URI refuses them, so they only reach the decoder through a form body.
		assertThat(Json.write(body("application/x-www-form-urlencoded", "bad=%zz%&half=%4&ok=%41")))
			.isEqualTo("{\"bad\":\"%zz%\",\"half\":\"%4\",\"ok\":\"A\"}");
	}

	@Test
	void encodedNamesAndEqualsSignsInQueryValues() {
		ObjectNode query = (ObjectNode) read(builder(HttpMethod.GET, "/s?a%20b=c=d&&=v").build()).get("query");
		assertThat(Json.write(query)).isEqualTo("{\"a b\":\"c=d\",\"\":\"v\"}");
	}

	@Test
	void paramsAreCoercedButNotDecodedAgain() {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("id", "0042");
		params.put("n", "42");
		params.put("name", "a%41 b");
		params.put("rest", "/a/b");
		ObjectNode state = read(builder(HttpMethod.GET, "/x").build(), params);
		assertThat(Json.write(state.get("params")))
			.isEqualTo("{\"id\":\"0042\",\"n\":42,\"name\":\"a%41 b\",\"rest\":\"/a/b\"}");
	}

	@Test
	void headersAreLowerCasedAndRepeatedOnesJoined() {
		MockServerHttpRequest request = builder(HttpMethod.GET, "/")
			.header("X-Trace", "a", "b")
			.header("Accept", "text/html")
			.header("accept", "application/json")
			.header("Cookie", "a=1")
			.header("cookie", "b=2; c=3")
			.build();
		assertThat(Json.write(read(request).get("headers"))).isEqualTo(
				"{\"x-trace\":\"a, b\",\"accept\":\"text/html, application/json\",\"cookie\":\"a=1; b=2; c=3\"}");
	}

	@Test
	void cookiesComeFromAllCookieHeadersSplitAtTheFirstEquals() {
		MockServerHttpRequest request = builder(HttpMethod.GET, "/")
			.header("Cookie", " sid=ab12 ;theme=dark=blue;;empty=;noequals; enc=a%20b")
			.header("Cookie", "sid=second; q=\"quoted\"")
			.build();
		assertThat(Json.write(read(request).get("cookies"))).isEqualTo(
				"{\"sid\":\"second\",\"theme\":\"dark=blue\",\"empty\":\"\",\"enc\":\"a%20b\",\"q\":\"\\\"quoted\\\"\"}");
	}

	@Test
	void jsonBodies() {
		assertThat(Json.write(body("application/json", "[1,2.50,{\"a\":null}]"))).isEqualTo("[1,2.50,{\"a\":null}]");
		assertThat(Json.write(body("application/json; charset=utf-8", "\"é\""))).isEqualTo("\"é\"");
		assertThat(Json.write(body("Application/JSON", "7"))).isEqualTo("7");
		assertThat(Json.write(body("application/problem+json", "{\"t\":1}"))).isEqualTo("{\"t\":1}");
		assertThat(Json.write(body("application/vnd.api+json;v=2", "true"))).isEqualTo("true");
	}

	@Test
	void emptyBodyIsAnEmptyObjectWhateverTheType() {
		assertThat(Json.write(body("application/json", ""))).isEqualTo("{}");
		assertThat(Json.write(body("text/plain", ""))).isEqualTo("{}");
		assertThat(Json.write(body("application/x-www-form-urlencoded", ""))).isEqualTo("{}");
	}

	@Test
	void formBodyIsDecodedWithoutCoercionLastDuplicateWins() {
		assertThat(Json.write(body("application/x-www-form-urlencoded", "a=1&b=x+y%21&a=2&c=%C3%A9&d")))
			.isEqualTo("{\"a\":\"2\",\"b\":\"x y!\",\"c\":\"é\",\"d\":\"\"}");
	}

	@Test
	void otherBodiesAreText() {
		assertThat(Json.write(body("text/plain", "hello {"))).isEqualTo("\"hello {\"");
		assertThat(Json.write(body("application/xml", "<a/>"))).isEqualTo("\"<a/>\"");
		JsonNode latin = read(builder(HttpMethod.POST, "/").header("Content-Type", "text/plain; charset=ISO-8859-1")
			.body(Flux.just(buffer("caf\u00e9".getBytes(StandardCharsets.ISO_8859_1))))).get("body");
		assertThat(latin.textValue()).isEqualTo("café");
	}

	@Test
	void withoutContentTypeTheBodyIsJsonWhenItParsesElseText() {
		ObjectNode state = read(builder(HttpMethod.POST, "/").body("{\"a\":1}"));
		assertThat(Json.write(state.get("body"))).isEqualTo("{\"a\":1}");
		assertThat(state.get("content_type").textValue()).isEqualTo("application/json");
		assertThat(read(builder(HttpMethod.POST, "/").body("plain words")).get("body").textValue())
			.isEqualTo("plain words");
	}

	@Test
	void contentTypeIsTheRawHeader() {
		ObjectNode state = read(builder(HttpMethod.POST, "/").header("Content-Type", "text/plain;Charset=UTF-8").body("x"));
		assertThat(state.get("content_type").textValue()).isEqualTo("text/plain;Charset=UTF-8");
	}

	@Test
	void malformedJsonIs400WithATypedValidationError() {
		MockServerHttpRequest request = builder(HttpMethod.POST, "/")
			.header("Content-Type", "application/json")
			.body("{\"a\": tru}");
		StepVerifier.create(this.reader.read(request(request), Map.of())).expectErrorSatisfies(error -> {
			assertThat(error).isInstanceOf(BadRequestException.class);
			BadRequestException bad = (BadRequestException) error;
			assertThat(bad.status()).isEqualTo(400);
			JsonNode first = bad.body().get("errors").get(0);
			assertThat(Json.write(bad.body())).startsWith("{\"errors\":[{\"type\":\"validationError\",\"field\":\"body\","
					+ "\"context\":\"body\",\"rule\":\"json\",\"message\":\"Request body is not valid JSON: ");
			assertThat(first.get("message").textValue()).contains("tru").contains("line 1")
				.doesNotContain("com.fasterxml", "java.", "Exception", "REDACTED", "Source");
			assertThat(bad.body().size()).isEqualTo(1);
		}).verify();
	}

	@Test
	void trailingGarbageAfterJsonIsMalformed() {
		MockServerHttpRequest request = builder(HttpMethod.POST, "/")
			.header("Content-Type", "application/json")
			.body("{} {}");
		StepVerifier.create(this.reader.read(request(request), Map.of()))
			.expectErrorSatisfies(error -> assertThat(((BadRequestException) error).status()).isEqualTo(400))
			.verify();
	}

	@Test
	void oversizedBodyIs413WhileStreaming() {
		RequestStateReader small = new RequestStateReader(10);
		// no Content-Length: several chunks that together exceed the limit
		MockServerHttpRequest request = builder(HttpMethod.POST, "/")
			.header("Content-Type", "application/json")
			.body(Flux.just(buffer("[1,2,3,".getBytes()), buffer("4,5,6]".getBytes())));
		StepVerifier.create(small.read(request(request), Map.of())).expectErrorSatisfies(error -> {
			BadRequestException bad = (BadRequestException) error;
			assertThat(bad.status()).isEqualTo(413);
			assertThat(Json.write(bad.body())).isEqualTo("{\"errors\":[{\"type\":\"validationError\",\"field\":\"body\","
					+ "\"context\":\"body\",\"rule\":\"size\","
					+ "\"message\":\"Request body is too large: the limit is 10 bytes\"}]}");
		}).verify();
	}

	@Test
	void oversizedDeclaredLengthIs413WithoutReading() {
		RequestStateReader small = new RequestStateReader(10);
		MockServerHttpRequest request = builder(HttpMethod.POST, "/").contentLength(11)
			.body(Flux.error(new IllegalStateException("must not be read")));
		StepVerifier.create(small.read(request(request), Map.of()))
			.expectErrorSatisfies(error -> assertThat(((BadRequestException) error).status()).isEqualTo(413))
			.verify();
	}

	@Test
	void bodyAtTheLimitIsAccepted() {
		RequestStateReader small = new RequestStateReader(10);
		MockServerHttpRequest request = builder(HttpMethod.POST, "/").header("Content-Type", "text/plain")
			.body("0123456789");
		assertThat(small.read(request(request), Map.of()).block().get("body").textValue()).isEqualTo("0123456789");
	}

	@Test
	void noLimit() {
		RequestStateReader unlimited = new RequestStateReader(-1);
		byte[] big = new byte[300_000];
		Arrays.fill(big, (byte) 'a');
		MockServerHttpRequest request = builder(HttpMethod.POST, "/").header("Content-Type", "text/plain")
			.body(Flux.just(buffer(big)));
		assertThat(unlimited.read(request(request), Map.of()).block().get("body").textValue()).hasSize(300_000);
	}

	@Test
	void originalRequestIsACopy() {
		ObjectNode state = read(builder(HttpMethod.GET, "/?a=1").build(), Map.of("id", "2"));
		((ObjectNode) state.get("query")).put("a", 99);
		((ObjectNode) state.get("params")).put("id", 99);
		assertThat(Json.write(state.get("originalRequest")))
			.isEqualTo("{\"method\":\"GET\",\"params\":{\"id\":2},\"query\":{\"a\":1}}");
	}

	@Test
	void readWithoutExplicitVariablesUsesThoseOfTheRequest() {
		ServerRequest request = request(builder(HttpMethod.GET, "/").build());
		assertThat(this.reader.read(request).block().get("params").isEmpty()).isTrue();
		assertThat(List.of(this.reader.maxInMemorySize())).containsExactly(RequestStateReader.DEFAULT_MAX_IN_MEMORY_SIZE);
	}

	private JsonNode body(String contentType, String body) {
		return read(builder(HttpMethod.POST, "/").header("Content-Type", contentType).body(body)).get("body");
	}

	private static DataBuffer buffer(byte[] bytes) {
		return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
	}

}
