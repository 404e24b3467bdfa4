package dev.webpipe.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.compile.CompiledRoute;
import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * springdoc's {@code /v3/api-docs} of the HTTP test application: the routes of
 * {@code http-app/routes/openapi.wp} described in full (asserted against
 * {@code http-app/openapi-expected.json}), and every {@code .wp} route of the application once.
 * <p>
 * Run with {@code -Dwebpipe.fixtures.update=true} to (re)write the expected file, then review the
 * diff before committing it.
 */
class OpenApiApplicationTest extends HttpApplicationTests {

	private static final Path EXPECTED = Path.of("src/test/resources/http-app/openapi-expected.json");

	private static final boolean UPDATE = Boolean.getBoolean("webpipe.fixtures.update");

	@Autowired
	private WebTestClient client;

	@Autowired
	private ProgramHolder holder;

	@Test
	void theFixtureRoutesAreDescribedInFull() throws IOException {
		JsonNode document = document();
		ObjectNode actual = Json.NODES.objectNode();
		ObjectNode paths = actual.putObject("paths");
		document.get("paths").properties().forEach((entry) -> {
			if (entry.getKey().startsWith("/openapi/")) {
				paths.set(entry.getKey(), entry.getValue());
			}
		});
		actual.set("WebPipeErrors", document.at("/components/schemas/WebPipeErrors"));
		if (UPDATE) {
			Files.writeString(EXPECTED, Json.pretty(actual) + "\n");
		}
		assertThat(Json.pretty(actual)).isEqualTo(Json.pretty(Json.parse(Files.readString(EXPECTED))));
	}

	@Test
	void everyRouteIsListedOnceWithoutHeadOrOptions() {
		JsonNode paths = document().get("paths");
		List<String> listed = new ArrayList<>();
		for (CompiledRoute route : this.holder.program().routes()) {
			JsonNode item = paths.get(route.pattern().replace("{*", "{"));
			assertThat(item).as(route.label()).isNotNull();
			assertThat(item.has("head")).as(route.label()).isFalse();
			assertThat(item.has("options")).as(route.label()).isFalse();
			JsonNode operation = item.get(route.method().toLowerCase(Locale.ROOT));
			assertThat(operation).as(route.label()).isNotNull();
			listed.add(operation.get("operationId").asText());
		}
		assertThat(listed).doesNotHaveDuplicates().hasSize(this.holder.program().routes().size());
		List<String> operationIds = new ArrayList<>();
		paths.forEach((item) -> item.forEach((operation) -> {
			if (operation.has("operationId")) {
				operationIds.add(operation.get("operationId").asText());
			}
		}));
		assertThat(operationIds).doesNotHaveDuplicates().containsAll(listed);
		assertThat(document().at("/tags").findValuesAsText("name")).contains("app", "openapi", "seed");
	}

	@Test
	void aControllerOperationOnAnotherMethodOfTheSamePathStays() {
		JsonNode item = document().at("/paths/~1openapi~1items~1{id}");
		assertThat(fieldNames(item)).containsExactlyInAnyOrder("get", "delete");
		assertThat(item.at("/get/operationId").asText()).isEqualTo("getOpenapiItemsById");
		assertThat(item.at("/delete/operationId").asText()).isEqualTo("deleteItem");
		assertThat(document().at("/paths/~1plain-controller").has("get")).isTrue();
	}

	private JsonNode document() {
		byte[] body = this.client.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
			.returnResult().getResponseBody();
		return Json.parse(new String(body, StandardCharsets.UTF_8));
	}

	private static List<String> fieldNames(JsonNode node) {
		return node.properties().stream().map(Map.Entry::getKey).toList();
	}

}
