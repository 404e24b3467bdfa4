package dev.webpipe.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.webpipe.middleware.Json;
import dev.webpipe.runtime.ErrorStatuses;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseWriterTest {

	private final ResponseWriter writer = new ResponseWriter();

	/** The response to a GET (or HEAD when {@code head}) answered with {@code response}. */
	private static EntityExchangeResult<byte[]> exchange(Supplier<Mono<ServerResponse>> response, boolean head) {
		WebTestClient client = WebTestClient
			.bindToRouterFunction(RouterFunctions.route(request -> true, request -> response.get()))
			.build();
		return (head ? client.head() : client.get()).uri("/").exchange().expectBody(byte[].class).returnResult();
	}

	private EntityExchangeResult<byte[]> write(String state, Integer status, String contentType, boolean unhandled) {
		JsonNode node = (state != null) ? Json.parse(state) : null;
		return exchange(() -> this.writer.write(node, status, contentType, unhandled, false), false);
	}

	private EntityExchangeResult<byte[]> write(String state) {
		return write(state, null, null, false);
	}

	private static String body(EntityExchangeResult<byte[]> result) {
		byte[] bytes = result.getResponseBody();
		return (bytes != null) ? new String(bytes, StandardCharsets.UTF_8) : "";
	}

	private static HttpHeaders headers(EntityExchangeResult<byte[]> result) {
		return result.getResponseHeaders();
	}

	@Test
	void plainStateIsJsonWith200() {
		EntityExchangeResult<byte[]> result = write("{\"a\":1,\"b\":[true,null]}");
		assertThat(result.getStatus().value()).isEqualTo(200);
		assertThat(headers(result).getFirst("Content-Type")).isEqualTo("application/json");
		assertThat(body(result)).isEqualTo("{\"a\":1,\"b\":[true,null]}");
		assertThat(headers(result).getContentLength()).isEqualTo(result.getResponseBody().length);
	}

	@Test
	void routeStatusAndContentTypeAreUsed() {
		EntityExchangeResult<byte[]> result = write("{\"ok\":true}", 201, "application/vnd.x+json", false);
		assertThat(result.getStatus().value()).isEqualTo(201);
		assertThat(headers(result).getFirst("Content-Type")).isEqualTo("application/vnd.x+json");
		assertThat(body(result)).isEqualTo("{\"ok\":true}");
	}

	@Test
	void nonObjectStates() {
		assertThat(body(write("[1,2]"))).isEqualTo("[1,2]");
		assertThat(body(write("null"))).isEqualTo("null");
		assertThat(body(write(null, null, null, false))).isEqualTo("null");
		assertThat(body(write("\"hi\""))).isEqualTo("\"hi\"");
		assertThat(body(write("3.50"))).isEqualTo("3.50");
	}

	@Test
	void stringPayloadWithNonJsonTypeIsRawText() {
		EntityExchangeResult<byte[]> result = write("\"<p>héllo</p>\"", null, "text/html", false);
		assertThat(headers(result).getFirst("Content-Type")).isEqualTo("text/html; charset=utf-8");
		assertThat(body(result)).isEqualTo("<p>héllo</p>");
		assertThat(headers(result).getContentLength()).isEqualTo("<p>héllo</p>".getBytes(StandardCharsets.UTF_8).length);
	}

	@Test
	void textTypesKeepAGivenCharset() {
		EntityExchangeResult<byte[]> result = write("\"x\"", null, "text/plain;charset=UTF-8", false);
		assertThat(headers(result).getFirst("Content-Type")).isEqualTo("text/plain;charset=UTF-8");
		assertThat(headers(write("\"x\"", null, "application/xml", false)).getFirst("Content-Type"))
			.isEqualTo("application/xml");
	}

	@Test
	void objectWithHtmlTypeIsJsonTextServedAsHtml() {
		EntityExchangeResult<byte[]> result = write("{\"a\":1}", null, "text/html", false);
		assertThat(headers(result).getFirst("Content-Type")).isEqualTo("text/html; charset=utf-8");
		assertThat(body(result)).isEqualTo("{\"a\":1}");
	}

	@Test
	void theDownloadExampleOfTheSpec() {
		EntityExchangeResult<byte[]> result = write("{\"contentType\":\"text/plain\",\"status\":200,"
				+ "\"setHeaders\":{\"Content-Disposition\":\"attachment; filename=n.txt\"},\"body\":\"raw note\"}", 404,
				"application/json", false);
		assertThat(result.getStatus().value()).isEqualTo(200);
		assertThat(headers(result).getFirst("Content-Type")).isEqualTo("text/plain; charset=utf-8");
		assertThat(headers(result).getFirst("Content-Disposition")).isEqualTo("attachment; filename=n.txt");
		assertThat(body(result)).isEqualTo("raw note");
	}

	@Test
	void responseKeysAreRemovedAndHeadersStays() {
		EntityExchangeResult<byte[]> result = write("{\"a\":1,\"setCookies\":[\"s=1; Path=/\",2,\"t=2\"],"
				+ "\"setHeaders\":{\"X-Num\":5,\"X-Bool\":true,\"X-Str\":\"v\",\"X-Obj\":{},\"X-Null\":null},"
				+ "\"headers\":{\"authorization\":\"secret\"},\"status\":202,\"z\":2}");
		assertThat(result.getStatus().value()).isEqualTo(202);
		assertThat(body(result)).isEqualTo("{\"a\":1,\"headers\":{\"authorization\":\"secret\"},\"z\":2}");
		assertThat(headers(result).get("Set-Cookie")).containsExactly("s=1; Path=/", "t=2");
		assertThat(headers(result).getFirst("X-Num")).isEqualTo("5");
		assertThat(headers(result).getFirst("X-Bool")).isEqualTo("true");
		assertThat(headers(result).getFirst("X-Str")).isEqualTo("v");
		assertThat(headers(result).containsHeader("X-Obj")).isFalse();
		assertThat(headers(result).containsHeader("X-Null")).isFalse();
		assertThat(headers(result).containsHeader("authorization")).isFalse();
	}

	@Test
	void invalidStatusValuesStayInTheBody() {
		for (String status : List.of("99", "600", "\"201\"", "201.5", "null", "true")) {
			EntityExchangeResult<byte[]> result = write("{\"status\":" + status + "}", 203, null, false);
			assertThat(result.getStatus().value()).as(status).isEqualTo(203);
			assertThat(body(result)).isEqualTo("{\"status\":" + status + "}");
		}
		assertThat(write("{\"status\":100}").getStatus().value()).isEqualTo(100);
		assertThat(write("{\"status\":599}").getStatus().value()).isEqualTo(599);
	}

	@Test
	void wronglyTypedResponseKeysStayInTheBody() {
		EntityExchangeResult<byte[]> result = write(
				"{\"setCookies\":\"a=1\",\"setHeaders\":[\"x\"],\"contentType\":5,\"body\":\"b\"}");
		assertThat(headers(result).containsHeader("Set-Cookie")).isFalse();
		assertThat(headers(result).getFirst("Content-Type")).isEqualTo("application/json");
		assertThat(body(result)).isEqualTo("{\"setCookies\":\"a=1\",\"setHeaders\":[\"x\"],\"contentType\":5,\"body\":\"b\"}");
	}

	@Test
	void framingHeadersAreNeverTakenFromTheState() {
		EntityExchangeResult<byte[]> result = write("{\"setHeaders\":{\"content-length\":999,\"Transfer-Encoding\":\"chunked\","
				+ "\"Connection\":\"close\",\"Keep-Alive\":\"timeout=5\",\"Upgrade\":\"h2c\",\"HOST\":\"evil\","
				+ "\"Content-Encoding\":\"gzip\",\"X-Ok\":\"1\"}}");
		HttpHeaders headers = headers(result);
		assertThat(headers.getContentLength()).isEqualTo(2);
		for (String name : List.of("Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "Host", "Content-Encoding")) {
			assertThat(headers.containsHeader(name)).as(name).isFalse();
		}
		assertThat(headers.getFirst("X-Ok")).isEqualTo("1");
		assertThat(body(result)).isEqualTo("{}");
	}

	@Test
	void unsafeHeaderNamesAndValuesAreDropped() {
		EntityExchangeResult<byte[]> result = write("{\"setHeaders\":{\"X-A\":\"a\\r\\nX-Injected: 1\",\"Bad Name\":\"v\","
				+ "\"X-Tab\":\"a\\tb\"},\"setCookies\":[\"c=1\\r\\nX-Injected: 2\",\"ok=1\"]}");
		HttpHeaders headers = headers(result);
		assertThat(headers.containsHeader("X-A")).isFalse();
		assertThat(headers.containsHeader("X-Injected")).isFalse();
		assertThat(headers.containsHeader("Bad Name")).isFalse();
		assertThat(headers.getFirst("X-Tab")).isEqualTo("a\tb");
		assertThat(headers.get("Set-Cookie")).containsExactly("ok=1");
	}

	@Test
	void contentTypeInSetHeadersSetsTheTypeUnlessAContentTypeKeyExists() {
		EntityExchangeResult<byte[]> viaHeader = write("{\"setHeaders\":{\"content-type\":\"text/csv\"},\"body\":\"a,b\"}");
		assertThat(headers(viaHeader).getFirst("Content-Type")).isEqualTo("text/csv; charset=utf-8");
		// no contentType key: the payload is the whole remaining state, as JSON text
		assertThat(body(viaHeader)).isEqualTo("{\"body\":\"a,b\"}");
		EntityExchangeResult<byte[]> both = write(
				"{\"setHeaders\":{\"Content-Type\":\"text/csv\"},\"contentType\":\"text/plain\",\"body\":\"a,b\"}");
		assertThat(headers(both).getFirst("Content-Type")).isEqualTo("text/plain; charset=utf-8");
		assertThat(body(both)).isEqualTo("a,b");
		assertThat(headers(write("\"x\"", null, null, false)).get("Content-Type")).containsExactly("application/json");
	}

	@Test
	void bodyKeyIsThePayloadOnlyWhenAContentTypeKeyWasConsumed() {
		EntityExchangeResult<byte[]> withType = write("{\"contentType\":\"application/json\",\"body\":{\"x\":1},\"y\":2}");
		assertThat(body(withType)).isEqualTo("{\"x\":1}");
		assertThat(body(write("{\"body\":{\"x\":1},\"y\":2}"))).isEqualTo("{\"body\":{\"x\":1},\"y\":2}");
		EntityExchangeResult<byte[]> noBody = write("{\"contentType\":\"text/plain\",\"y\":2}");
		assertThat(body(noBody)).isEqualTo("{\"y\":2}");
		assertThat(headers(noBody).getFirst("Content-Type")).isEqualTo("text/plain; charset=utf-8");
		assertThat(body(write("{\"contentType\":\"application/json\",\"body\":\"hi\"}"))).isEqualTo("\"hi\"");
		assertThat(body(write("{\"contentType\":\"text/plain\",\"body\":5}"))).isEqualTo("5");
	}

	@Test
	void theStateIsNotModified() {
		JsonNode state = Json.parse("{\"status\":201,\"setCookies\":[\"a=1\"],\"x\":1}");
		exchange(() -> this.writer.write(state, null, null, false, false), false);
		assertThat(Json.write(state)).isEqualTo("{\"status\":201,\"setCookies\":[\"a=1\"],\"x\":1}");
	}

	@Test
	void unhandledTypedErrorsMapToStatuses() {
		String[][] cases = { { "validationError", "400" }, { "authError", "401" }, { "rateLimitExceeded", "429" },
				{ "timeoutError", "504" }, { "networkError", "502" }, { "httpError", "502" }, { "jqError", "500" },
				{ "sqlError", "500" }, { "custom", "500" } };
		for (String[] c : cases) {
			EntityExchangeResult<byte[]> result = write("{\"errors\":[{\"type\":\"" + c[0] + "\",\"message\":\"m\"}],"
					+ "\"status\":200,\"contentType\":\"text/html\",\"other\":1}", 201, "text/html", true);
			assertThat(result.getStatus().value()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
			assertThat(body(result)).isEqualTo("{\"errors\":[{\"type\":\"" + c[0] + "\",\"message\":\"m\"}]}");
			assertThat(headers(result).getFirst("Content-Type")).isEqualTo("application/json");
		}
	}

	@Test
	void unhandledErrorResponseKeepsAllErrorsAndAppliesCookiesAndHeaders() {
		EntityExchangeResult<byte[]> result = write("{\"errors\":[{\"type\":\"authError\",\"message\":\"no\"},"
				+ "{\"type\":\"x\"}],\"setCookies\":[\"sid=; Max-Age=0\"],\"setHeaders\":{\"WWW-Authenticate\":\"Bearer\","
				+ "\"Content-Type\":\"text/html\"}}", null, null, true);
		assertThat(result.getStatus().value()).isEqualTo(401);
		assertThat(headers(result).get("Set-Cookie")).containsExactly("sid=; Max-Age=0");
		assertThat(headers(result).getFirst("WWW-Authenticate")).isEqualTo("Bearer");
		assertThat(headers(result).getFirst("Content-Type")).isEqualTo("application/json");
		assertThat(body(result)).isEqualTo("{\"errors\":[{\"type\":\"authError\",\"message\":\"no\"},{\"type\":\"x\"}]}");
	}

	@Test
	void rateLimitedResponseHasRetryAfter() {
		EntityExchangeResult<byte[]> result = write(
				"{\"errors\":[{\"type\":\"rateLimitExceeded\",\"retryAfter\":12.0,\"message\":\"slow down\"}]}", null, null,
				true);
		assertThat(result.getStatus().value()).isEqualTo(429);
		assertThat(headers(result).getFirst("Retry-After")).isEqualTo("12");
		EntityExchangeResult<byte[]> without = write("{\"errors\":[{\"type\":\"rateLimitExceeded\"}]}", null, null, true);
		assertThat(headers(without).containsHeader("Retry-After")).isFalse();
	}

	@Test
	void typedErrorWithoutTheUnhandledFlagIsANormalResponse() {
		EntityExchangeResult<byte[]> result = write("{\"errors\":[{\"type\":\"authError\"}],\"a\":1}", 200, null, false);
		assertThat(result.getStatus().value()).isEqualTo(200);
		assertThat(body(result)).isEqualTo("{\"errors\":[{\"type\":\"authError\"}],\"a\":1}");
	}

	@Test
	void unhandledFlagWithoutATypedErrorIsANormalResponse() {
		EntityExchangeResult<byte[]> result = write("{\"errors\":[{\"message\":\"no type\"}],\"status\":201}", null, null,
				true);
		assertThat(result.getStatus().value()).isEqualTo(201);
		assertThat(body(result)).isEqualTo("{\"errors\":[{\"message\":\"no type\"}]}");
	}

	@Test
	void headSendsStatusAndHeadersWithoutBody() {
		JsonNode state = Json.parse("{\"status\":201,\"setHeaders\":{\"X-A\":\"1\"},\"a\":\"hello\"}");
		EntityExchangeResult<byte[]> get = exchange(() -> this.writer.write(state, null, null, false, false), false);
		EntityExchangeResult<byte[]> head = exchange(() -> this.writer.write(state, null, null, false, true), true);
		assertThat(head.getStatus().value()).isEqualTo(201);
		assertThat(head.getResponseBody()).isNullOrEmpty();
		assertThat(headers(head).getFirst("X-A")).isEqualTo("1");
		assertThat(headers(head).getFirst("Content-Type")).isEqualTo("application/json");
		assertThat(headers(head).getContentLength()).isEqualTo(headers(get).getContentLength());
	}

	@Test
	void noBodyForStatusesThatForbidOne() {
		EntityExchangeResult<byte[]> result = write("{\"status\":204,\"a\":1}");
		assertThat(result.getStatus().value()).isEqualTo(204);
		assertThat(result.getResponseBody()).isNullOrEmpty();
	}

	@Test
	void fatalResponse() {
		EntityExchangeResult<byte[]> result = exchange(
				() -> this.writer.fatal("recursion too deep (routes/app.wp:12)", false), false);
		assertThat(result.getStatus().value()).isEqualTo(500);
		assertThat(body(result))
			.isEqualTo("{\"error\":\"Pipeline execution failed\",\"details\":\"recursion too deep (routes/app.wp:12)\"}");
		assertThat(headers(result).getFirst("Content-Type")).isEqualTo("application/json");
	}

	@Test
	void fatalResponseWithoutDetailsHasTheRequestIdOnly() {
		EntityExchangeResult<byte[]> result = exchange(
				() -> this.writer.fatal("r-1", "recursion too deep (routes/app.wp:12)", ErrorDetails.NEVER, false), false);
		assertThat(result.getStatus().value()).isEqualTo(500);
		assertThat(body(result)).isEqualTo("{\"error\":\"Pipeline execution failed\",\"requestId\":\"r-1\"}");
		EntityExchangeResult<byte[]> always = exchange(
				() -> this.writer.fatal("r-2", "recursion too deep (routes/app.wp:12)", ErrorDetails.ALWAYS, false), false);
		assertThat(body(always)).isEqualTo("{\"error\":\"Pipeline execution failed\",\"requestId\":\"r-2\","
				+ "\"details\":\"recursion too deep (routes/app.wp:12)\"}");
	}

	@Test
	void withoutDetailsEachErrorKeepsItsTypeAGenericMessageAndItsTask() {
		JsonNode state = Json.parse("""
				{"errors":[{"type":"sqlError","message":"relation \\"x\\" does not exist","query":"SELECT * FROM x","sqlstate":"42P01"},
				 {"type":"networkError","message":"connection refused","url":"http://10.0.0.1/x","task":"api"},
				 {"type":"httpError","status":503,"body":"secret","message":"m"},
				 {"type":"timeoutError","message":"t","task":"slow"},
				 {"type":"jqError","message":"j","step":"jq","location":"routes/app.wp:3"},
				 {"type":"validationError","field":"name","message":"name is required"},
				 {"type":"authError","message":"Invalid credentials"},
				 {"type":"rateLimitExceeded","message":"slow down","retryAfter":3},
				 {"message":"no type"}, 7],
				 "setHeaders":{"X-A":"1"}}""");
		EntityExchangeResult<byte[]> result = exchange(
				() -> this.writer.write(state, null, null, true, false, "id-7", ErrorDetails.NEVER), false);
		assertThat(result.getStatus().value()).isEqualTo(500);
		assertThat(headers(result).getFirst("X-A")).isEqualTo("1");
		assertThat(body(result)).isEqualTo("{\"errors\":["
				+ "{\"type\":\"sqlError\",\"message\":\"Internal error\"},"
				+ "{\"type\":\"networkError\",\"message\":\"Upstream service failed\",\"task\":\"api\"},"
				+ "{\"type\":\"httpError\",\"message\":\"Upstream service failed\"},"
				+ "{\"type\":\"timeoutError\",\"message\":\"Upstream service timed out\",\"task\":\"slow\"},"
				+ "{\"type\":\"jqError\",\"message\":\"Internal error\"},"
				+ "{\"type\":\"validationError\",\"field\":\"name\",\"message\":\"name is required\"},"
				+ "{\"type\":\"authError\",\"message\":\"Invalid credentials\"},"
				+ "{\"type\":\"rateLimitExceeded\",\"message\":\"slow down\",\"retryAfter\":3},"
				+ "{\"message\":\"Internal error\"},{\"message\":\"Internal error\"}],\"requestId\":\"id-7\"}");
		EntityExchangeResult<byte[]> always = exchange(
				() -> this.writer.write(state, null, null, true, false, "id-8", ErrorDetails.ALWAYS), false);
		assertThat(body(always)).contains("SELECT * FROM x", "routes/app.wp:3").endsWith(",\"requestId\":\"id-8\"}");
	}

	@Test
	void badRequestResponse() {
		BadRequestException error = new BadRequestException(413, RequestStateReader.bodyError("size", "too large"));
		EntityExchangeResult<byte[]> result = exchange(() -> this.writer.badRequest(error, false), false);
		assertThat(result.getStatus().value()).isEqualTo(413);
		assertThat(body(result)).isEqualTo("{\"errors\":[{\"type\":\"validationError\",\"field\":\"body\","
				+ "\"context\":\"body\",\"rule\":\"size\",\"message\":\"too large\"}]}");
		assertThat(error.getMessage()).isEqualTo("too large");
	}

	@Test
	void nonAsciiHeaderValuesAreSentAsUtf8() {
		assertThat(HeaderValues.sanitize("é")).isEqualTo("\u00c3\u00a9");
		assertThat(HeaderValues.sanitize("plain")).isEqualTo("plain");
		assertThat(HeaderValues.sanitize("a\nb")).isNull();
		assertThat(HeaderValues.sanitize("a\u0000b")).isNull();
	}

	@Test
	void errorStatusTable() {
		assertThat(ErrorStatuses.language().status("validationError")).isEqualTo(400);
		assertThat(ErrorStatuses.language().status("anything")).isEqualTo(500);
	}

}
