package dev.webpipe.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.testing.DocsExamples;
import dev.webpipe.web.RequestStateReader;
import dev.webpipe.web.WebPipeHandler;
import dev.webpipe.web.WebPipeRouterFunctions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/reload.md, done as the page says: its three versions of {@code hello.wp} saved in turn and reloaded, its
 * quoted log and {@code lastReload} compared with what the reload produced, its properties with the real ones.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReloadDocsTest {

	private static final Path PAGE = DocsExamples.DOCS.resolve("reload.md");

	@Test
	void thePageIsWhatAReloadDoes(@TempDir Path dir, CapturedOutput output) throws Exception {
		List<DocsExamples.Block> wp = DocsExamples.blocks(PAGE);
		assertThat(wp).hasSize(3);
		Files.writeString(dir.resolve("hello.wp"), wp.get(0).text());
		MiddlewareRegistry registry = MiddlewareRegistry.of(BuiltinMiddleware.standalone(), Map.of());
		ResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
		List<String> locations = List.of(dir.toUri().toString());
		Supplier<CompiledProgram> load = () -> WebPipeProgramLoader.load(resolver, locations, registry,
				Compiler.CompilerOptions.defaults());
		ProgramHolder holder = new ProgramHolder(load.get());
		WebPipeReloader reloader = new WebPipeReloader(holder, load, WebPipeReloader.folders(resolver, locations),
				Duration.ofMillis(100));
		assertThat(reloader.folders()).containsExactly(dir.toAbsolutePath().normalize());
		WebPipeHandler handler = new WebPipeHandler(holder.program(), new RequestStateReader(256 * 1024), null,
				Set.of());
		WebTestClient client = WebTestClient.bindToRouterFunction(WebPipeRouterFunctions.routes(holder, handler))
			.build();
		client.get().uri("/hello/world").exchange().expectBody().json("{\"hello\":\"world\"}", true);

		Files.writeString(dir.resolve("hello.wp"), wp.get(1).text());
		assertThat(reloader.reload().result()).isEqualTo("loaded");
		String edited = "{\"hello\":\"world\",\"from\":\"the edited file\"}";
		assertThat(Files.readString(PAGE)).contains("answers `" + edited + "`");
		client.get().uri("/hello/world").exchange().expectBody().json(edited, true);
		assertThat(output.getOut()).contains("WebPipe reloaded the program in ").contains("program 2 (1 route,");
		assertThat(Files.readString(PAGE)).contains("`WebPipe reloaded the program in 12 ms: program 2 (1 route, …)`");

		Files.writeString(dir.resolve("hello.wp"), wp.get(2).text());
		ProgramHolder.ReloadOutcome failed = reloader.reload();
		client.get().uri("/hello/world").exchange().expectBody().json(edited, true);
		assertThat(holder.lastReload()).isSameAs(failed);

		JsonNode documented = Json.parse(DocsExamples.blocks(PAGE, "json").get(0).text().getBytes(StandardCharsets.UTF_8));
		assertThat(fieldNames(documented)).isEqualTo(java.util.Arrays
			.stream(ProgramHolder.ReloadOutcome.class.getRecordComponents()).map((c) -> c.getName()).toList());
		assertThat(failed.result()).isEqualTo(documented.get("result").asText());
		assertThat(failed.files()).isEqualTo(documented.get("files").asInt());
		assertThat(failed.routes()).isEqualTo(documented.get("routes").asInt());
		List<String> errors = new ArrayList<>();
		documented.get("errors").forEach((error) -> errors.add(error.asText()));
		assertThat(failed.errors()).isEqualTo(errors);
		Matcher log = Pattern.compile("(?m)^```\\nERROR (.*?)^```$", Pattern.DOTALL).matcher(Files.readString(PAGE));
		assertThat(log.find()).as("the quoted log").isTrue();
		String quoted = log.group(1).strip();
		assertThat(output.getOut()).contains(quoted);
		assertThat(quoted).endsWith(failed.errors().get(0));
	}

	@Test
	void thePropertiesAreTheRealOnes() throws Exception {
		Matcher block = Pattern.compile("(?m)^```properties\\n(.*?)^```$", Pattern.DOTALL)
			.matcher(Files.readString(PAGE));
		assertThat(block.find()).isTrue();
		assertThat(block.group(1))
			.isEqualTo("webpipe.routes-location=file:src/main/resources/routes/\nwebpipe.reload.enabled=true\n");
		WebPipeProperties.Reload defaults = new WebPipeProperties().getReload();
		String page = Files.readString(PAGE);
		assertThat(defaults.isEnabled()).isFalse();
		assertThat(page).contains("| `webpipe.reload.enabled` | `false` |")
			.contains("| `webpipe.reload.debounce` | `" + defaults.getDebounce().toMillis() + "ms` |")
			.contains("| `webpipe.reload.drain-timeout` | `" + defaults.getDrainTimeout().toSeconds() + "s` |");
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new ArrayList<>();
		node.fieldNames().forEachRemaining(names::add);
		return names;
	}

}
