package dev.webpipe.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.runtime.Json;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runtime rules as data: each {@code runtime/<name>.wp} is served (router function, no server)
 * and the requests of {@code runtime/<name>.json} must answer with the expected status,
 * headers and body. Expected JSON bodies are compared as text, so key order counts.
 * <p>
 * Case file: {@code {"env": …, "profiles": […], "cases": [{"name", "method", "path",
 * "headers": {…}, "body": "raw text", "status", "headers": {…}, "json": …, "text": "…",
 * "absentHeaders": […]}]}}.
 */
class RuntimeFixturesTest {

	private static final Path ROOT = Paths.get("src/test/resources/runtime");

	@TestFactory
	Stream<DynamicNode> fixtures() throws IOException {
		List<DynamicNode> nodes = new ArrayList<>();
		try (Stream<Path> files = Files.list(ROOT)) {
			for (Path wp : files.filter((p) -> p.toString().endsWith(".wp")).sorted().toList()) {
				nodes.add(fixture(wp));
			}
		}
		return nodes.stream();
	}

	private DynamicContainer fixture(Path wp) throws IOException {
		String name = wp.getFileName().toString().replace(".wp", "");
		JsonNode spec = Json.parse(Files.readString(ROOT.resolve(name + ".json")));
		String env = spec.hasNonNull("env") ? spec.get("env").asText() : null;
		Set<String> envNames = new LinkedHashSet<>();
		if (env != null) {
			envNames.add(env);
		}
		spec.path("profiles").forEach((p) -> envNames.add(p.asText()));
		List<DynamicTest> tests = new ArrayList<>();
		for (JsonNode testCase : spec.get("cases")) {
			tests.add(DynamicTest.dynamicTest(testCase.get("name").asText(), () -> {
				CompiledProgram program = Programs.compile("routes/" + name + ".wp", Files.readString(wp));
				run(Programs.client(program, env, envNames), testCase);
			}));
		}
		return DynamicContainer.dynamicContainer(name, tests);
	}

	private static void run(WebTestClient client, JsonNode testCase) {
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
			assertThat(Json.write(Json.parse(body))).as(where).isEqualTo(Json.write(testCase.get("json")));
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

	static UncheckedIOException unchecked(IOException ex) {
		return new UncheckedIOException(ex);
	}

}
