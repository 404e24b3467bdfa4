package dev.webpipe.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs request/expectation cases written as JSON against a {@link WebTestClient}. */
public final class HttpCases {

	private HttpCases() {
	}

	/**
	 * Sends the request of a case and checks the answer. A case is {@code {"name", "method",
	 * "path", "headers": {…}, "body": "raw text", "status", "expectHeaders": {…}, "absentHeaders":
	 * […], "json": …, "text": "…", "bodyContains": […], "bodyLacks": […]}}; expected JSON is
	 * compared as text, so key order counts.
	 */
	public static void run(WebTestClient client, JsonNode testCase) {
		WebTestClient.RequestBodySpec request = client
			.method(HttpMethod.valueOf(testCase.path("method").asText("GET")))
			.uri(testCase.get("path").asText());
		Iterator<Map.Entry<String, JsonNode>> headers = testCase.path("headers").fields();
		while (headers.hasNext()) {
			Map.Entry<String, JsonNode> header = headers.next();
			request.header(header.getKey(), header.getValue().asText());
		}
		WebTestClient.RequestHeadersSpec<?> ready = request;
		if (testCase.has("body")) {
			ready = request.bodyValue(testCase.get("body").asText().getBytes(StandardCharsets.UTF_8));
		}
		EntityExchangeResult<byte[]> result = ready.exchange().expectBody().returnResult();
		String body = (result.getResponseBody() != null)
				? new String(result.getResponseBody(), StandardCharsets.UTF_8) : "";
		String where = testCase.get("name").asText() + " answered " + result.getStatus() + " " + body;
		if (testCase.has("status")) {
			assertThat(result.getStatus().value()).as(where).isEqualTo(testCase.get("status").asInt());
		}
		Iterator<Map.Entry<String, JsonNode>> expectedHeaders = testCase.path("expectHeaders").fields();
		while (expectedHeaders.hasNext()) {
			Map.Entry<String, JsonNode> header = expectedHeaders.next();
			List<String> actual = result.getResponseHeaders().get(header.getKey());
			List<String> expected = new ArrayList<>();
			if (header.getValue().isArray()) {
				header.getValue().forEach((v) -> expected.add(v.asText()));
			}
			else {
				expected.add(header.getValue().asText());
			}
			assertThat(actual).as(where + " header " + header.getKey()).isEqualTo(expected);
		}
		testCase.path("absentHeaders")
			.forEach((h) -> assertThat(result.getResponseHeaders().containsHeader(h.asText()))
				.as(where + " has no header " + h.asText())
				.isFalse());
		if (testCase.has("json")) {
			JsonNode actual = Json.parse(body);
			JsonNode expected = testCase.get("json");
			if (actual instanceof ObjectNode object && object.has("requestId") && !expected.has("requestId")) {
				// every error response carries the request's id, which the cases cannot know
				assertThat(object.get("requestId").asText()).as(where + " requestId").isNotBlank();
				actual = object.deepCopy().without("requestId");
			}
			assertThat(Json.write(actual)).as(where).isEqualTo(Json.write(expected));
		}
		if (testCase.has("text")) {
			assertThat(body).as(where).isEqualTo(testCase.get("text").asText());
		}
		if (testCase.has("bodyContains")) {
			testCase.get("bodyContains").forEach((s) -> assertThat(body).as(where).contains(s.asText()));
		}
		if (testCase.has("bodyLacks")) {
			testCase.get("bodyLacks").forEach((s) -> assertThat(body).as(where).doesNotContain(s.asText()));
		}
	}

}
