package dev.webpipe.middleware.fetch;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.middleware.http.OutboundHttp;
import dev.webpipe.middleware.Json;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fetch} against a real upstream (a Reactor Netty server on loopback): every form of the
 * step, the result value, the request it sends and each typed error. Routes are served through
 * the router function, without a Spring context.
 */
class FetchMiddlewareTest {

	private static StubServer upstream;

	private static final OutboundHttp HTTP = OutboundHttp.create(WebClient.builder(), Duration.ofSeconds(10),
			DataSize.ofKilobytes(64));

	@BeforeAll
	static void start() {
		upstream = new StubServer();
	}

	@AfterAll
	static void stop() {
		upstream.close();
	}

	// ---- forms and the result value ------------------------------------------------------

	@Test
	void aConfigUrlPutsTheResultValueUnderData() {
		JsonNode body = get("GET /a\n  |> fetch: `{{base}}/json`\n", "/a", 200);
		assertThat(body.get("data").get("response").toString()).isEqualTo("{\"a\":1,\"price\":12.50,\"list\":[true,null]}");
		assertThat(body.get("data").get("status").intValue()).isEqualTo(200);
		assertThat(body.get("data").get("headers").get("content-type").asText()).isEqualTo("application/json");
		assertThat(body.get("method").asText()).as("fetch merges: request keys kept").isEqualTo("GET");
	}

	@Test
	void aBodyThatIsNotJsonIsKeptAsTextAndHeadersKeepTheirLastValue() {
		JsonNode data = get("GET /a\n  |> fetch: `{{base}}/text`\n", "/a", 200).get("data");
		assertThat(data.get("response").asText()).isEqualTo("plain words");
		assertThat(data.get("headers").get("x-multi").asText()).isEqualTo("two");
	}

	@Test
	void anEmptyBodyIsAnEmptyString() {
		JsonNode data = get("GET /a\n  |> fetch: `{{base}}/empty`\n", "/a", 200).get("data");
		assertThat(data.get("status").intValue()).isEqualTo(204);
		assertThat(data.get("response").asText()).isEmpty();
	}

	@Test
	void anInlineStringExpressionIsTheUrl() {
		JsonNode data = get("GET /items/:id\n  |> fetch(\"{{base}}/echo/\" + (.params.id | tostring))\n", "/items/7",
				200).get("data");
		assertThat(data.get("response").get("uri").asText()).isEqualTo("/echo/7");
		assertThat(data.get("response").get("method").asText()).isEqualTo("GET");
	}

	@Test
	void inlineOptionsSetMethodHeadersAndAJsonBody() {
		JsonNode echo = response("""
				GET /a
				  |> fetch("{{base}}/echo", { method: "POST", headers: { "X-Api-Key": "k1", "X-Number": 5 }, body: { a: [1, 2] } })
				""", "/a");
		assertThat(echo.get("method").asText()).isEqualTo("POST");
		assertThat(echo.get("headers").get("x-api-key").asText()).isEqualTo("k1");
		assertThat(echo.get("headers").has("x-number")).as("only string header values are sent").isFalse();
		assertThat(echo.get("headers").get("content-type").asText()).isEqualTo("application/json");
		assertThat(echo.get("headers").get("user-agent").asText()).isEqualTo("WebPipe/1.0");
		assertThat(echo.get("body").asText()).isEqualTo("{\"a\":[1,2]}");
	}

	@Test
	void aStringBodyIsSentAsAJsonStringLiteral() {
		JsonNode echo = response("GET /a\n  |> fetch(\"{{base}}/echo\", { method: \"PUT\", body: \"hi\" })\n", "/a");
		assertThat(echo.get("method").asText()).isEqualTo("PUT");
		assertThat(echo.get("body").asText()).isEqualTo("\"hi\"");
	}

	@Test
	void aGivenUserAgentOrContentTypeIsKept() {
		JsonNode echo = response("""
				GET /a
				  |> fetch("{{base}}/echo", { method: "POST", headers: { "user-agent": "mine/2", "Content-Type": "application/vnd.api+json" }, body: {} })
				""", "/a");
		assertThat(echo.get("headers").get("user-agent").asText()).isEqualTo("mine/2");
		assertThat(echo.get("headers").get("content-type").asText()).isEqualTo("application/vnd.api+json");
	}

	@Test
	void methodsAreCaseInsensitiveAndAnUnknownMethodIsGet() {
		assertThat(response("GET /a\n  |> fetch(\"{{base}}/echo\", { method: \"delete\" })\n", "/a").get("method")
			.asText()).isEqualTo("DELETE");
		assertThat(response("GET /a\n  |> fetch(\"{{base}}/echo\", { method: \"FROB\" })\n", "/a").get("method")
			.asText()).isEqualTo("GET");
		assertThat(response("GET /a\n  |> fetch(\"{{base}}/echo\", { method: 7 })\n", "/a").get("method").asText())
			.isEqualTo("GET");
	}

	@Test
	void legacyFieldsDescribeTheRequestAndStayInTheState() {
		JsonNode body = get("""
				GET /a
				  |> jq: `{ fetchUrl: " {{base}}/echo ", fetchMethod: "PATCH", fetchHeaders: { "X-A": "1" }, fetchBody: { b: 2 }, fetchTimeout: 3 }`
				  |> fetch: `_`
				""", "/a", 200);
		JsonNode echo = body.get("data").get("response");
		assertThat(echo.get("method").asText()).isEqualTo("PATCH");
		assertThat(echo.get("headers").get("x-a").asText()).isEqualTo("1");
		assertThat(echo.get("body").asText()).isEqualTo("{\"b\":2}");
		assertThat(body.get("fetchMethod").asText()).isEqualTo("PATCH");
	}

	@Test
	void aUrlInTheConfigIgnoresEveryLegacyKeyOfTheState() {
		JsonNode echo = response("""
				GET /a
				  |> jq: `{ fetchUrl: "{{base}}/text", fetchMethod: "DELETE", fetchHeaders: { "X-A": "1" }, fetchBody: { b: 2 }, fetchTimeout: 0 }`
				  |> fetch: `{{base}}/echo/fixed`
				""", "/a");
		assertThat(echo.get("uri").asText()).isEqualTo("/echo/fixed");
		assertThat(echo.get("method").asText()).isEqualTo("GET");
		assertThat(echo.get("headers").has("x-a")).isFalse();
		assertThat(echo.get("body").asText()).isEmpty();
	}

	@Test
	void inlineArgumentsAreTheOnlySourceWhenPresent() {
		JsonNode echo = response("""
				GET /a
				  |> jq: `{ fetchUrl: "{{base}}/text", fetchMethod: "POST", fetchHeaders: { "X-A": "1" } }`
				  |> fetch("{{base}}/echo")
				""", "/a");
		assertThat(echo.get("uri").asText()).isEqualTo("/echo");
		assertThat(echo.get("method").asText()).isEqualTo("GET");
		assertThat(echo.get("headers").has("x-a")).isFalse();
	}

	@Test
	void charactersAUriCannotHoldAreEncodedAndEscapesKept() {
		JsonNode echo = response("GET /a\n  |> fetch(\"{{base}}/echo?q=red shoes&r=a%20b&s=é\")\n", "/a");
		assertThat(echo.get("uri").asText()).isEqualTo("/echo?q=red%20shoes&r=a%20b&s=%C3%A9");
	}

	@Test
	void theResultIsNamedByResultTagResultNameOrVariable() {
		JsonNode byTag = get("GET /a\n  |> jq: `{ keep: 1 }`\n  |> fetch: `{{base}}/json` @result(prices)\n", "/a", 200);
		assertThat(byTag.get("data").get("prices").get("response").get("a").intValue()).isEqualTo(1);
		assertThat(byTag.get("keep").intValue()).isEqualTo(1);
		JsonNode byKey = get("GET /a\n  |> jq: `{ resultName: \"legacy\" }`\n  |> fetch: `{{base}}/json`\n", "/a", 200);
		assertThat(byKey.get("data").get("legacy").get("status").intValue()).isEqualTo(200);
		JsonNode byVariable = get("fetch api = `{{base}}/json`\nGET /a\n  |> fetch: api\n", "/a", 200);
		assertThat(byVariable.get("data").get("api").get("status").intValue()).isEqualTo(200);
	}

	@Test
	void redirectsAreFollowedUpToTen() {
		JsonNode followed = get("GET /a\n  |> fetch: `{{base}}/redirect/10`\n", "/a", 200).get("data");
		assertThat(followed.get("response").get("redirected").booleanValue()).isTrue();
		JsonNode notFollowed = get("GET /a\n  |> fetch: `{{base}}/redirect/11`\n", "/a", 200).get("data");
		assertThat(notFollowed.get("status").intValue()).as("the 11th redirect is an ordinary result").isEqualTo(302);
		assertThat(notFollowed.get("headers").get("location").asText()).isEqualTo("/redirect/0");
	}

	@Test
	void compressedResponsesAreDecoded() {
		JsonNode data = get("GET /a\n  |> fetch: `{{base}}/gzip`\n", "/a", 200).get("data");
		assertThat(data.get("response").get("zipped").booleanValue()).isTrue();
		assertThat(data.get("headers").get("x-accept-encoding").asText()).contains("gzip");
	}

	// ---- the incoming request is not forwarded ---------------------------------------------

	@Test
	void noHeaderOfTheIncomingRequestIsForwarded() {
		JsonNode echo = Json.parse(body(exchange("GET /a\n  |> fetch: `{{base}}/echo`\n  |> jq: `.data.response`\n", "/a",
				(headers) -> {
					headers.set("Authorization", "Bearer secret");
					headers.set("Cookie", "sid=abc");
					headers.set("X-Trace-Me", "1");
				})));
		assertThat(echo.get("headers").has("authorization")).isFalse();
		assertThat(echo.get("headers").has("cookie")).isFalse();
		assertThat(echo.get("headers").has("x-trace-me")).isFalse();
	}

	@Test
	void aHeaderThePipelinePassesExplicitlyIsSent() {
		JsonNode echo = Json.parse(body(exchange(
				"GET /a\n  |> fetch(\"{{base}}/echo\", { headers: { Authorization: .headers.authorization } })\n"
						+ "  |> jq: `.data.response`\n",
				"/a", (headers) -> headers.set("Authorization", "Bearer secret"))));
		assertThat(echo.get("headers").get("authorization").asText()).isEqualTo("Bearer secret");
	}

	// ---- errors -------------------------------------------------------------------------------

	@Test
	void aStatusOf400OrMoreIsAnHttpError() {
		JsonNode error = firstError("GET /a\n  |> fetch: `{{base}}/status/404`\n", "/a", 502);
		assertThat(error.toString()).isEqualTo("{\"type\":\"httpError\",\"status\":404,\"message\":\"failed with 404\","
				+ "\"url\":\"" + upstream.base() + "/status/404\"}");
		assertThat(firstError("GET /a\n  |> fetch: `{{base}}/status/503`\n", "/a", 502).get("status").intValue())
			.isEqualTo(503);
	}

	@Test
	void anHttpErrorCanBeHandledByAResultBranch() {
		JsonNode body = get("""
				GET /a
				  |> fetch: `{{base}}/status/404`
				  |> result
				    httpError(404):
				      |> jq: `{ missing: .errors[0].status }`
				""", "/a", 404);
		assertThat(body.toString()).isEqualTo("{\"missing\":404}");
	}

	@Test
	void aClosedPortIsANetworkErrorNamingTheUrl() {
		String url = "http://127.0.0.1:" + StubServer.closedPort() + "/x";
		JsonNode error = firstError("GET /a\n  |> fetch: `" + url + "`\n", "/a", 502);
		assertThat(error.get("type").asText()).isEqualTo("networkError");
		assertThat(error.get("url").asText()).isEqualTo(url);
		assertThat(error.get("message").asText()).startsWith("Connection refused").doesNotContain("Exception");
	}

	@Test
	void aResetConnectionIsANetworkError() {
		JsonNode error = firstError("GET /a\n  |> fetch: `{{base}}/reset`\n", "/a", 502);
		assertThat(error.get("type").asText()).isEqualTo("networkError");
		assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("(..)");
	}

	@Test
	void aMissingUrlIsANetworkError() {
		assertThat(firstError("GET /a\n  |> fetch(\"  \")\n", "/a", 502).toString())
			.isEqualTo("{\"type\":\"networkError\",\"message\":\"Missing URL for fetch middleware\"}");
		assertThat(firstError("GET /a\n  |> fetch\n", "/a", 502).get("message").asText())
			.isEqualTo("Missing URL for fetch middleware");
	}

	@Test
	void aUrlThatIsNotAbsoluteHttpIsANetworkErrorNamingIt() {
		JsonNode underscore = firstError("GET /a\n  |> fetch: `_`\n", "/a", 502);
		assertThat(underscore.get("type").asText()).isEqualTo("networkError");
		assertThat(underscore.get("url").asText()).isEqualTo("_");
		assertThat(underscore.get("message").asText()).contains("'_'");
		assertThat(firstError("GET /a\n  |> fetch: `ftp://files.example/x`\n", "/a", 502).get("message").asText())
			.contains("ftp://files.example/x").contains("absolute http(s) URL");
		assertThat(firstError("GET /a\n  |> fetch: `example.com/x`\n", "/a", 502).get("url").asText())
			.isEqualTo("example.com/x");
	}

	@Test
	void aRelativeUrlWithoutAServerIsANetworkError() {
		JsonNode error = firstError("GET /a\n  |> fetch: `/hello`\n", "/a", 502);
		assertThat(error.get("message").asText()).contains("'/hello'").contains("port");
	}

	@Test
	void argumentsOfTheWrongTypeAreFetchErrors() {
		JsonNode url = firstError("GET /a\n  |> fetch(42)\n", "/a", 500);
		assertThat(url.get("type").asText()).isEqualTo("fetchError");
		assertThat(url.get("message").asText()).isEqualTo("fetch argument 0 must evaluate to a string, got: number");
		assertThat(url.get("step").asText()).isEqualTo("fetch");
		assertThat(url.get("location").asText()).isEqualTo("fetch.wp:2");
		JsonNode options = firstError("GET /a\n  |> fetch(\"{{base}}/json\", \"x\")\n", "/a", 500);
		assertThat(options.get("message").asText()).isEqualTo("fetch argument 1 must evaluate to an object, got: string");
	}

	@Test
	void aPerCallTimeoutIsATimeoutError() {
		long start = System.nanoTime();
		JsonNode error = firstError("GET /a\n  |> fetch(\"{{base}}/delay/5000\", { timeout: 1 })\n", "/a", 504);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
		assertThat(error.toString()).isEqualTo("{\"type\":\"timeoutError\",\"message\":\"Request timed out after 1s\","
				+ "\"url\":\"" + upstream.base() + "/delay/5000\"}");
	}

	@Test
	void theDefaultTimeoutApplies() {
		OutboundHttp quick = OutboundHttp.create(WebClient.builder(), Duration.ofSeconds(1), DataSize.ofKilobytes(64));
		long start = System.nanoTime();
		JsonNode error = firstError(quick, "GET /a\n  |> fetch: `{{base}}/delay/5000`\n", "/a", 504);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
		assertThat(error.get("type").asText()).isEqualTo("timeoutError");
		JsonNode legacy = firstError(quick,
				"GET /a\n  |> jq: `{ fetchUrl: \"{{base}}/delay/3000\", fetchTimeout: \"5\" }`\n  |> fetch\n", "/a",
				504);
		assertThat(legacy.get("message").asText()).as("a timeout that is not an integer is ignored")
			.isEqualTo("Request timed out after 1s");
	}

	@Test
	void theTimeoutCoversTheBody() {
		long start = System.nanoTime();
		JsonNode error = firstError("GET /a\n  |> fetch(\"{{base}}/slow-body\", { timeout: 1 })\n", "/a", 504);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
		assertThat(error.get("type").asText()).isEqualTo("timeoutError");
	}

	@Test
	void aBodyLargerThanTheLimitIsANetworkError() {
		assertThat(get("GET /a\n  |> fetch: `{{base}}/big/60000`\n", "/a", 200).get("data").get("response").asText())
			.hasSize(60000);
		JsonNode error = firstError("GET /a\n  |> fetch: `{{base}}/big/70000`\n", "/a", 502);
		assertThat(error.get("type").asText()).isEqualTo("networkError");
		assertThat(error.get("message").asText()).startsWith("Failed to read response body: ")
			.contains("webpipe.fetch.max-response-size");
	}

	@Test
	void anEndlessBodyStopsAtTheLimitInsteadOfBeingBuffered() {
		OutboundHttp small = OutboundHttp.create(WebClient.builder(), Duration.ofSeconds(20), DataSize.ofKilobytes(1));
		long start = System.nanoTime();
		JsonNode error = firstError(small, "GET /a\n  |> fetch: `{{base}}/endless`\n", "/a", 502);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(error.get("message").asText()).startsWith("Failed to read response body: ");
	}

	// ---- helpers ------------------------------------------------------------------------------

	private static WebTestClient serve(OutboundHttp http, String wp) {
		CompiledProgram program = Programs.compile("fetch.wp", wp.replace("{{base}}", upstream.base()),
				List.of(new FetchMiddleware(http)));
		return Programs.client(program).mutate().responseTimeout(Duration.ofSeconds(30)).build();
	}

	private static EntityExchangeResult<byte[]> exchange(String wp, String path, Consumer<HttpHeaders> headers) {
		return serve(HTTP, wp).get().uri(path).headers(headers).exchange().expectBody().returnResult();
	}

	private static String body(EntityExchangeResult<byte[]> result) {
		return new String(result.getResponseBodyContent(), java.nio.charset.StandardCharsets.UTF_8);
	}

	private static JsonNode get(String wp, String path, int status) {
		return get(HTTP, wp, path, status);
	}

	private static JsonNode get(OutboundHttp http, String wp, String path, int status) {
		EntityExchangeResult<byte[]> result = serve(http, wp).get().uri(path).exchange().expectBody().returnResult();
		assertThat(result.getStatus().value()).as(body(result)).isEqualTo(status);
		return Json.parse(result.getResponseBodyContent());
	}

	private static JsonNode response(String wp, String path) {
		return get(wp, path, 200).get("data").get("response");
	}

	private static JsonNode firstError(String wp, String path, int status) {
		return firstError(HTTP, wp, path, status);
	}

	private static JsonNode firstError(OutboundHttp http, String wp, String path, int status) {
		JsonNode body = get(http, wp, path, status);
		assertThat(body.get("errors")).as(body.toString()).hasSize(1);
		return body.get("errors").get(0);
	}

}
