package dev.webpipe.language;

import org.junit.jupiter.api.Test;

import static dev.webpipe.testing.DeepSources.nestedIfs;
import static org.assertj.core.api.Assertions.assertThat;

/** Input nested deeper than the parser allows is a positioned diagnostic, never a stack overflow. */
class NestingLimitTest {

	private static final String MESSAGE = "blocks nested too deeply: at most 256 levels of if, dispatch, foreach, "
			+ "result and tag groups";

	@Test
	void fiveThousandNestedIfBlocksAreOneDiagnosticAtTheFirstBlockTooMany() {
		ParseResult result = parse(nestedIfs(5000));
		// level k opens on line 3k - 1 ("|> if"); level 257 is the first one refused
		assertThat(result.diagnostics()).singleElement().satisfies((d) -> {
			assertThat(d.headline()).isEqualTo("deep.wp:770:4: " + MESSAGE);
			assertThat(d.render()).endsWith("\n|> if\n   ^");
		});
	}

	@Test
	void twoHundredFiftySixLevelsParseAndPrint() {
		ParseResult result = parse(nestedIfs(256));
		assertThat(result.diagnostics()).isEmpty();
		String printed = result.document().toSource();
		ParseResult reparsed = Parser.parse(new SourceFile("printed.wp", printed));
		assertThat(reparsed.diagnostics()).isEmpty();
		assertThat(SyntaxTrees.withoutSpans(reparsed.document()))
			.isEqualTo(SyntaxTrees.withoutSpans(result.document()));
	}

	@Test
	void everyKindOfBlockCountsTowardsTheSameLimit() {
		String[] openers = { "|> if\n|> jq: `.`\nthen:\n", "|> dispatch\ncase @flag(a):\n", "|> foreach .items\n",
				"|> result\nok(200):\n" };
		StringBuilder text = new StringBuilder("GET /mixed\n");
		for (int i = 0; i < 300; i++) {
			text.append(openers[i % openers.length]);
		}
		text.append("|> jq: `.`\n");
		ParseResult result = parse(text.toString());
		assertThat(result.diagnostics()).first().satisfies((d) -> assertThat(d.message()).isEqualTo(MESSAGE));
		assertThat(result.diagnostics()).hasSizeLessThanOrEqualTo(1);
	}

	@Test
	void deeplyNestedTagGroupsAreRefusedAtTheFirstParenthesisTooMany() {
		String line = "  |> jq: `.` " + "(".repeat(5000) + "@flag(a)" + ")".repeat(5000);
		ParseResult result = parse("GET /tags\n" + line + "\n");
		int column = line.indexOf('(') + 256 + 1;
		assertThat(result.diagnostics()).singleElement()
			.satisfies((d) -> assertThat(d.headline()).isEqualTo("deep.wp:2:" + column + ": " + MESSAGE));
		assertThat(parse("GET /tags\n  |> jq: `.` " + "(".repeat(255) + "@flag(a)" + ")".repeat(255) + "\n")
			.diagnostics()).isEmpty();
	}

	private static ParseResult parse(String text) {
		return Parser.parse(new SourceFile("deep.wp", text));
	}

}
