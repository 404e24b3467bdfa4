package dev.webpipe.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.testing.DocsExamples;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;

/** The example at the top of README.md answers what the README says. */
class ReadmeExampleTest {

	@Test
	void theFirstExampleAnswersAsQuoted() throws Exception {
		List<DocsExamples.Block> blocks = DocsExamples.blocks(Path.of("../README.md"));
		CompiledProgram program = Programs.compile("routes/orders.wp", blocks.get(0).text());
		byte[] body = Programs.client(program).get().uri("/orders/17?who=kim").exchange().expectStatus().isOk()
			.expectBody().returnResult().getResponseBody();
		assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"id\":17,\"status\":\"shipped\",\"asked\":\"kim\"}");
	}

}
