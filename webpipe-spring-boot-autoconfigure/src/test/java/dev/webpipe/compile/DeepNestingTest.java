package dev.webpipe.compile;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.webpipe.language.LoadException;
import dev.webpipe.testing.Programs;

import static dev.webpipe.testing.DeepSources.nestedIfs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The deepest program the parser accepts also compiles and runs; a deeper one stops the load with a
 * positioned diagnostic (docs/language.md#nesting).
 */
class DeepNestingTest {

	@Test
	void twoHundredFiftySixNestedIfBlocksCompileAndAnswer() {
		CompiledProgram program = Programs.compile("routes/deep.wp", nestedIfs(256));
		Programs.client(program).get().uri("/deep").exchange().expectStatus().isOk().expectBody()
			.json("{\"deep\":true}", true);
	}

	@Test
	void fiveThousandNestedIfBlocksStopTheLoadWithOneDiagnostic() {
		assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> Programs.compile("routes/deep.wp", nestedIfs(5000)))
			.satisfies((ex) -> {
				assertThat(ex.errors()).hasSize(1);
				assertThat(ex.getMessage()).startsWith("1 error in .wp files:\n\nroutes/deep.wp:770:4: blocks nested too deeply")
					.endsWith("\n|> if\n   ^");
			});
	}

	@Test
	void deeplyNestedTagGroupsOfACaseStopTheLoad() {
		// the dispatch is the first level: the 256th parenthesis (column 10 + 255) is the first one too many
		String text = "GET /tags\n  |> dispatch\n    case " + "(".repeat(3000) + "@flag(a)" + ")".repeat(3000)
				+ ":\n      |> jq: `1`\n  end\n";
		assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> Programs.compile("routes/tags.wp", text, List.of()))
			.satisfies((ex) -> assertThat(ex.errors()).singleElement()
				.satisfies((d) -> assertThat(d.headline()).startsWith("routes/tags.wp:3:" + (10 + 255) + ": ")));
	}

	@Test
	void aChainOfFiveThousandPipelineCallsLoads() {
		// the static checks of @async and join follow calls no deeper than the executor runs them
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 5000; i++) {
			text.append("pipeline p").append(i).append(" =\n  |> jq: `. + { n: ").append(i).append(" }`\n  |> p")
				.append(i + 1).append("\n\n");
		}
		text.append("pipeline p5000 =\n  |> jq: `{ done: .n }`\n\nGET /chain\n  |> p4990\n");
		CompiledProgram program = Programs.compile("routes/chain.wp", text.toString());
		Programs.client(program).get().uri("/chain").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.done").isEqualTo(4999);
	}

}
