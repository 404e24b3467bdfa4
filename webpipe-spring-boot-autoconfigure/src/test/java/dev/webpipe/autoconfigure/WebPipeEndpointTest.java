package dev.webpipe.autoconfigure;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/webpipe}, {@code /actuator/health} and {@code /actuator/mappings} over real HTTP
 * (docs/operations.md).
 */
@WebPipeHttpTest
class WebPipeEndpointTest {

	@Autowired
	private WebTestClient client;

	private String get(String uri) {
		byte[] body = this.client.get().uri(uri).exchange().expectStatus().isOk().expectBody().returnResult()
			.getResponseBody();
		return new String(body, StandardCharsets.UTF_8);
	}

	@Test
	void theEndpointDescribesTheProgram() {
		JsonNode webpipe = Json.parse(get("/actuator/webpipe").getBytes(StandardCharsets.UTF_8));
		assertThat(webpipe.path("loadedAt").asText()).isNotBlank();
		JsonNode app = find(webpipe.get("files"), "name", "routes/app.wp");
		assertThat(app.path("loadedAt").asText()).isNotBlank();
		assertThat(app.path("routes").asInt()).isGreaterThan(3);

		JsonNode route = find(webpipe.get("routes"), "path", "/greeting");
		assertThat(route.path("method").asText()).isEqualTo("GET");
		assertThat(route.path("pattern").asText()).isEqualTo("/greeting");
		assertThat(route.path("location").asText()).matches("greeting\\.wp:\\d+");
		assertThat(route.path("steps").toString()).matches("\\[\"pipeline:greet@\\d+\",\"shout@\\d+\"]");
		JsonNode hello = find(webpipe.get("routes"), "path", "/hello/:name");
		assertThat(hello.path("pattern").asText()).isEqualTo("/hello/{name}");
		assertThat(hello.path("location").asText()).isEqualTo("routes/app.wp:2");
		assertThat(hello.path("steps").toString()).isEqualTo("[\"jq@3\"]");
		JsonNode async = find(webpipe.get("routes"), "path", "/no-join");
		assertThat(async.path("steps").get(0).asText()).matches("delay@\\d+ @async\\(users\\)");

		JsonNode greet = find(webpipe.get("pipelines"), "name", "greet");
		assertThat(greet.path("location").asText()).matches("greeting\\.wp:\\d+");
		assertThat(greet.path("steps").toString()).matches("\\[\"jq@\\d+\"]");
		assertThat(find(webpipe.path("variables").path("jq"), "name", "greeting").path("location").asText())
			.matches("greeting\\.wp:\\d+");

		JsonNode jq = find(webpipe.get("middleware"), "name", "jq");
		assertThat(jq.path("origin").asText()).isEqualTo("built-in");
		assertThat(jq.path("className").asText()).startsWith("dev.webpipe.middleware.jq.");
		JsonNode shout = find(webpipe.get("middleware"), "name", "shout");
		assertThat(shout.path("origin").asText()).isEqualTo("application");
		assertThat(shout.path("bean").asText()).isEqualTo("shout");

		assertThat(webpipe.has("lastReload")).isTrue();
	}

	@Test
	void propertiesAreMaskedAndNoSecretAppears() {
		String text = get("/actuator/webpipe");
		assertThat(text).doesNotContain(WebPipeHttpTest.SECRET);
		JsonNode properties = Json.parse(text.getBytes(StandardCharsets.UTF_8)).get("properties");
		assertThat(properties.path("webpipe.config.pg.password").asText()).isEqualTo("******");
		assertThat(properties.path("webpipe.async.task-timeout").asText()).isEqualTo("******");
		assertThat(properties.has("webpipe.routes-location")).isTrue();
		assertThat(properties.has("webpipe.fetch.max-response-size")).isTrue();
		// nothing else answers the secret either
		assertThat(get("/actuator/health")).doesNotContain(WebPipeHttpTest.SECRET);
		assertThat(get("/actuator/mappings")).doesNotContain(WebPipeHttpTest.SECRET);
	}

	@Test
	void healthIsUpWithTheRouteCount() {
		JsonNode health = Json.parse(get("/actuator/health").getBytes(StandardCharsets.UTF_8));
		JsonNode webpipe = health.path("components").path("webpipe");
		assertThat(webpipe.path("status").asText()).isEqualTo("UP");
		assertThat(webpipe.path("details").path("routes").asInt()).isGreaterThan(10);
		assertThat(webpipe.path("details").path("files").asInt()).isGreaterThan(1);
	}

	@Test
	void mappingsDescribeEachRouteByFileAndLine() {
		String mappings = get("/actuator/mappings");
		assertThat(mappings).contains("GET /hello/:name (routes/app.wp:2)");
		assertThat(mappings).contains("dev.webpipe.web.WebPipeHandler.RouteHandler");
		assertThat(mappings).doesNotContain("$$Lambda");
		assertThat(mappings).contains("WebPipe 405/OPTIONS (Allow: GET, HEAD, OPTIONS)");
	}

	private static JsonNode find(JsonNode array, String field, String value) {
		for (JsonNode item : array) {
			if (item.path(field).asText().equals(value)) {
				return item;
			}
		}
		throw new AssertionError("no " + field + " = " + value + " in " + array);
	}

}
