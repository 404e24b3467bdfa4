package dev.webpipe.middleware;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.testing.DocsExamples;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of the pages of {@code jq}, {@code log} and {@code debug}: each compiles (not only
 * parses), and the answers the pages quote are the answers.
 */
class CoreMiddlewareDocsTest {

	@Test
	void everyExampleCompiles() throws Exception {
		for (String page : List.of("jq.md", "log.md", "debug.md")) {
			for (DocsExamples.Block block : DocsExamples.blocks(DocsExamples.DOCS.resolve("middleware/" + page))) {
				assertThat(Programs.compile(block.name(), block.text())).as(block.name()).isNotNull();
			}
		}
	}

	@Test
	void theQuotedAnswersAreTheAnswers() throws Exception {
		List<DocsExamples.Block> blocks = DocsExamples.blocks(DocsExamples.DOCS.resolve("middleware/jq.md"));
		CompiledProgram greet = Programs.compile("jq.md", blocks.get(0).text());
		assertThat(body(greet, "/greet/ada", 200)).isEqualTo("{\"greeting\":\"Hello, ada!\",\"shout\":\"ADA\"}");
		CompiledProgram items = Programs.compile("jq.md", blocks.get(2).text());
		assertThat(body(items, "/items/7", 200)).isEqualTo("{\"id\":7}");
		assertThat(body(items, "/items/101", 404)).isEqualTo("{\"error\":\"no such item\"}");
		CompiledProgram inspect = Programs.compile("debug.md",
				DocsExamples.blocks(DocsExamples.DOCS.resolve("middleware/debug.md")).get(0).text());
		assertThat(body(inspect, "/inspect/7", 200)).isEqualTo("{\"id\":7}");
	}

	private static String body(CompiledProgram program, String path, int status) {
		byte[] body = Programs.client(program).get().uri(path).exchange().expectStatus().isEqualTo(status)
			.expectBody().returnResult().getResponseBody();
		return new String(body, StandardCharsets.UTF_8);
	}

}
