package dev.webpipe.http;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.webpipe.autoconfigure.openapi.WebPipeOpenApi;
import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.SourceFile;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.testing.DocsExamples;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of docs/openapi.md, compiled with the middleware of the HTTP test application (whose
 * {@code auth} needs the lazily created pg pool of {@code http-app/routes/openapi.wp}): the documented
 * operation is the one built for the documented route.
 */
class OpenApiDocsTest extends HttpApplicationTests {

	private static final Path OPENAPI = DocsExamples.DOCS.resolve("openapi.md");

	private static final String DATABASE = """
			config pg {
			  host: "127.0.0.1"
			  port: 1
			  database: "none"
			  user: "none"
			  password: "none"
			}
			""";

	@Autowired
	private MiddlewareRegistry registry;

	@Test
	void theDocumentedOperationIsTheOneBuiltForTheRoute() throws Exception {
		JsonNode document = describe(DocsExamples.blocks(OPENAPI, "wp").get(0).text());
		JsonNode documented = Json.parse(DocsExamples.blocks(OPENAPI, "json").get(0).text());
		assertThat(document.at("/paths/~1orders~1{id}~1note/put")).isEqualTo(documented);
	}

	@Test
	void theCommentsExampleGivesItsSummaryParametersAndResponses() throws Exception {
		JsonNode operation = describe(DocsExamples.blocks(OPENAPI, "wp").get(1).text()).at("/paths/~1orders/get");
		assertThat(operation.get("summary").asText()).isEqualTo("List orders.");
		assertThat(operation.get("description").asText()).isEqualTo("Newest first, 20 to a page.");
		assertThat(operation.get("parameters").findValuesAsText("name")).containsExactly("page", "status");
		assertThat(operation.at("/parameters/0/description").asText()).isEqualTo("the page, from 1");
		assertThat(operation.at("/parameters/1/required").asBoolean()).isTrue();
		assertThat(operation.at("/responses/200/description").asText()).isEqualTo("the orders of the page");
		assertThat(operation.at("/responses/200/content/application~1json/schema/type").asText()).isEqualTo("array");
		assertThat(operation.at("/responses/404/description").asText()).isEqualTo("no order has this status");
	}

	private JsonNode describe(String wp) throws Exception {
		CompiledProgram program = Compiler.load(
				List.of(new SourceFile("routes/orders.wp", wp), new SourceFile("routes/zz-database.wp", DATABASE)),
				this.registry, Compiler.CompilerOptions.defaults());
		OpenAPI openApi = new OpenAPI();
		new WebPipeOpenApi(() -> program, this.registry).customise(openApi);
		return Json.parse(Json31.mapper().writeValueAsString(openApi));
	}

}
