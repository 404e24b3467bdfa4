package dev.webpipe.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.compile.CompiledRoute;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's {@code /v3/api-docs}: a valid OpenAPI 3.1 document (read by swagger-parser) that describes
 * every {@code .wp} route of the demo once, and Swagger UI at {@code /swagger-ui.html}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DemoOpenApiTest {

	@Autowired
	private WebTestClient client;

	@Autowired
	private ProgramHolder holder;

	@Test
	void theDocumentIsValidOpenApi31AndListsEveryRouteOnce() {
		String json = new String(this.client.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
			.expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8);
		ParseOptions options = new ParseOptions();
		options.setResolve(true);
		SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
		assertThat(result.getMessages()).as("parser messages").isEmpty();
		OpenAPI openApi = result.getOpenAPI();
		assertThat(openApi.getOpenapi()).startsWith("3.1.");
		assertThat(result.isOpenapi31()).isTrue();

		List<String> ids = new ArrayList<>();
		for (CompiledRoute route : this.holder.program().routes()) {
			PathItem item = openApi.getPaths().get(route.pattern().replace("{*", "{"));
			assertThat(item).as(route.label()).isNotNull();
			assertThat(item.getHead()).as(route.label()).isNull();
			assertThat(item.getOptions()).as(route.label()).isNull();
			Operation operation = item.readOperationsMap()
				.get(PathItem.HttpMethod.valueOf(route.method().toUpperCase(Locale.ROOT)));
			assertThat(operation).as(route.label()).isNotNull();
			assertThat(operation.getResponses()).as(route.label()).containsKey("500");
			ids.add(operation.getOperationId());
		}
		assertThat(ids).doesNotHaveDuplicates().hasSize(this.holder.program().routes().size());
	}

	@Test
	void theDocumentShowsWhatTheStepsDeclare() {
		OpenAPI openApi = new OpenAPIV3Parser().readContents(new String(this.client.get().uri("/v3/api-docs")
			.exchange().expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8), null, null).getOpenAPI();
		Operation user = openApi.getPaths().get("/users/{id}").getGet();
		assertThat(user.getParameters()).extracting((p) -> p.getIn() + " " + p.getName()).containsExactly("path id");
		assertThat(user.getResponses()).containsKeys("200", "400", "404", "500");
		assertThat(user.getTags()).containsExactly("users");
		Operation register = openApi.getPaths().get("/auth/register").getPost();
		assertThat(register.getSummary()).isEqualTo("Every attempt costs an Argon2id hash: a limit per client address comes first.");
		assertThat(register.getResponses()).containsKeys("201", "400", "429", "500");
		Operation members = openApi.getPaths().get("/members").getGet();
		assertThat(members.getResponses()).containsKeys("200", "401", "500");
		assertThat(members.getResponses().get("401").getDescription()).contains("authError");
		assertThat(openApi.getPaths().get("/pages/dashboard").getGet().getResponses().get("200").getContent())
			.containsOnlyKeys("text/html");
		Operation signup = openApi.getPaths().get("/pages/signup").getPost();
		assertThat(signup.getRequestBody().getContent().get("application/json").getSchema().getRequired())
			.isNotEmpty();
		assertThat(signup.getResponses().get("200").getContent()).containsOnlyKeys("text/html");
		assertThat(signup.getResponses().get("400").getContent()).containsOnlyKeys("text/html");
	}

	@Test
	void swaggerUiIsServed() {
		this.client.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
		this.client.get().uri("/webjars/swagger-ui/index.html").exchange().expectStatus().isOk();
	}

}
