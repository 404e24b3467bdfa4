package dev.webpipe.autoconfigure.actuate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import dev.webpipe.autoconfigure.WebPipeProperties;
import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.SourceFile;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.testing.DocsExamples;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of docs/operations.md: the endpoint's and the health contributor's answers for its routes. */
class OperationsDocsTest {

	private static final Path OPERATIONS = DocsExamples.DOCS.resolve("operations.md");

	private final Middleware shout = new Middleware() {

		@Override
		public String name() {
			return "shout";
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) {
			return (input) -> Mono.just(StepResult.of(input.state()));
		}

	};

	@Test
	void theEndpointAnswersAsDocumented() throws Exception {
		CompiledProgram program = compileTheExample();
		MiddlewareRegistry registry = Programs.registry(List.of(this.shout));
		WebPipeProperties properties = new WebPipeProperties();
		properties.getConfig().put("pg", Map.of("password", "documented-secret"));
		WebPipeEndpoint endpoint = new WebPipeEndpoint(new ProgramHolder(program), registry,
				Map.of("shout", this.shout), new WebPipePropertiesReport(properties, new Sanitizer(), Show.NEVER,
						List.of()));
		String text = JsonMapper.builder().build().writeValueAsString(endpoint.webpipe(SecurityContext.NONE));
		assertThat(text).doesNotContain("documented-secret");
		JsonNode actual = Json.parse(text.getBytes());
		JsonNode documented = json(1);

		assertThat(fieldNames(actual)).isEqualTo(fieldNames(documented));
		assertThat(actual.get("routes")).isEqualTo(documented.get("routes"));
		assertThat(actual.get("pipelines")).isEqualTo(documented.get("pipelines"));
		assertThat(actual.get("variables")).isEqualTo(documented.get("variables"));
		assertThat(actual.get("lastReload")).isEqualTo(documented.get("lastReload"));
		ObjectNode file = (ObjectNode) actual.get("files").get(0).deepCopy();
		assertThat(fieldNames(file)).isEqualTo(fieldNames(documented.get("files").get(0)));
		file.remove("loadedAt");
		ObjectNode documentedFile = documented.get("files").get(0).deepCopy();
		documentedFile.remove("loadedAt");
		assertThat(file).isEqualTo(documentedFile);
		for (JsonNode middleware : documented.get("middleware")) {
			JsonNode found = find(actual.get("middleware"), middleware.get("name").asText());
			assertThat(fieldNames(found)).isEqualTo(fieldNames(middleware));
			assertThat(found.get("origin")).isEqualTo(middleware.get("origin"));
			assertThat(found.get("bean")).isEqualTo(middleware.get("bean"));
		}
		documented.get("properties").fields().forEachRemaining((entry) -> assertThat(
				actual.get("properties").get(entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue()));
	}

	@Test
	void healthAnswersAsDocumented() throws Exception {
		CompiledProgram program = compileTheExample();
		Health health = new WebPipeHealthIndicator(() -> program, () -> null).health(true);
		JsonNode documented = json(2).get("components").get("webpipe");
		assertThat(health.getStatus().getCode()).isEqualTo(documented.get("status").asText());
		assertThat(Json.parse(JsonMapper.builder().build().writeValueAsBytes(health.getDetails())))
			.isEqualTo(documented.get("details"));
	}

	private CompiledProgram compileTheExample() throws Exception {
		String wp = DocsExamples.blocks(OPERATIONS, "wp").get(0).text();
		return Compiler.load(List.of(new SourceFile("routes/app.wp", wp)), Programs.registry(List.of(this.shout)),
				Compiler.CompilerOptions.defaults());
	}

	/** The n-th {@code json} block of the page (1: the first). */
	private static JsonNode json(int index) throws Exception {
		return Json.parse(DocsExamples.blocks(OPERATIONS, "json").get(index - 1).text().getBytes());
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new ArrayList<>();
		node.fieldNames().forEachRemaining(names::add);
		return names;
	}

	private static JsonNode find(JsonNode array, String name) {
		for (JsonNode item : array) {
			if (item.path("name").asText().equals(name)) {
				return item;
			}
		}
		throw new AssertionError("no middleware " + name + " in " + array);
	}

}
