package dev.webpipe.language;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Positions and tree shapes that the printed fixtures cannot show. */
class ParserTest {

	@Test
	void inlineArgumentsAreSplitAndPositionedAtTheirFirstCharacter() {
		Step.Regular step = onlyStep("""
				GET /a
				  |> fetch("https://x/" + (.id | tostring),  { headers: { "x-q": "a,b)" } }): `_`
				""");
		InlineArgs args = step.args().orElseThrow();
		assertThat(args.args()).extracting(InlineArgs.Arg::text)
			.containsExactly("\"https://x/\" + (.id | tostring)", "{ headers: { \"x-q\": \"a,b)\" } }");
		assertThat(args.args().get(0).span()).isEqualTo(new Span(2, 12, 2, 43));
		assertThat(args.args().get(1).span().column()).isEqualTo(46);
		assertThat(args.span().column()).isEqualTo(11);
		assertThat(((StringLit) step.config().orElseThrow()).content()).isEqualTo("_");
	}

	@Test
	void trailingCommaIsHarmlessAndEmptyParenthesesGiveNoArguments() {
		assertThat(onlyStep("GET /a\n  |> fetch(.url, )").args().orElseThrow().args()).hasSize(1);
		assertThat(onlyStep("GET /a\n  |> log( )").args().orElseThrow().args()).isEmpty();
	}

	@Test
	void stepSpanStartsAtThePipeAndStringSpanAtItsDelimiter() {
		Step.Regular step = onlyStep("GET /a\n  |> jq: `{ a:\n 1 }` @when(x)\n");
		assertThat(step.span()).isEqualTo(new Span(2, 3, 3, 15));
		StringLit config = (StringLit) step.config().orElseThrow();
		assertThat(config.span()).isEqualTo(new Span(2, 10, 3, 6));
		assertThat(config.content()).isEqualTo("{ a:\n 1 }");
	}

	@Test
	void fencedStringsKeepSingleBackticks() {
		StringLit config = (StringLit) onlyStep("GET /a\n  |> lua: ```return `x` .. \"`\"```").config().orElseThrow();
		assertThat(config.kind()).isEqualTo(StringLit.Kind.FENCED);
		assertThat(config.content()).isEqualTo("return `x` .. \"`\"");
		assertThat(config.delimiterLength()).isEqualTo(3);
	}

	@Test
	void spaceSeparatedTagGroupsAreEachAFullExpression() {
		Step.Regular step = onlyStep("GET /a\n  |> jq: `.` @when(a) or @when(b) @flag(c)\n    and @env(d)");
		assertThat(step.tags()).hasSize(2);
		assertThat(step.tags().get(0)).isInstanceOf(TagExpr.Or.class);
		assertThat(step.tags().get(1)).isInstanceOfSatisfying(TagExpr.And.class,
				and -> assertThat(and.operands()).hasSize(2));
	}

	@Test
	void keywordsCountOnlyAsWholeWords() {
		Document document = parse("GET /a\n  |> resultCache\n  |> ifx\n  |> ending\n").document();
		TopItem.Route route = (TopItem.Route) document.items().get(0);
		assertThat(route.body().steps()).allSatisfy(step -> assertThat(step).isInstanceOf(Step.Regular.class));
	}

	@Test
	void stepsAfterAResultBelongToItsLastBranch() {
		TopItem.Route route = (TopItem.Route) parse("""
				GET /a
				  |> result
				    ok(200):
				      |> jq: `.a`
				  |> jq: `.b`
				""").document().items().get(0);
		assertThat(route.body().steps()).hasSize(1);
		Step.Result result = (Step.Result) route.body().steps().get(0);
		assertThat(result.branches().get(0).body().steps()).hasSize(2);
	}

	@Test
	void anUnterminatedStringIsReportedOnceAtItsOpening() {
		ParseResult result = parse("GET /a\n  |> jq: `.a\n  |> jq: .b\n  |> x: @@@\nGETT /b\n");
		assertThat(result.diagnostics()).singleElement()
			.satisfies(d -> assertThat(d.headline()).isEqualTo("test.wp:2:10: unterminated backtick string"));
	}

	@Test
	void errorsAreCappedPerFile() {
		String text = "GET /a\n" + "  |> jq: .bad\n".repeat(80);
		assertThat(parse(text).diagnostics()).hasSize(Parser.MAX_ERRORS);
	}

	@Test
	void diagnosticsRenderTheLineAndACaret() {
		Diagnostic diagnostic = parse("GET /a\n\t|> jq: .bad\n").diagnostics().get(0);
		assertThat(diagnostic.render())
			.isEqualTo("test.wp:2:9: unexpected input '.bad': expected a string or identifier\n\t|> jq: .bad\n\t       ^");
	}

	@Test
	void singleNodesPrintAsSource() {
		Step.Regular step = onlyStep("GET /a\n  |> pg([.id]):   byId   @when(a)   or @flag(b)");
		assertThat(step.toSource()).isEqualTo("|> pg([.id]): byId @when(a) or @flag(b)");
		assertThat(step.tags().get(0).toSource()).isEqualTo("@when(a) or @flag(b)");
		assertThat(step.name().toSource()).isEqualTo("pg");
	}

	@Test
	void describeBlocksAreParsedIntoTestItems() {
		TopItem.Describe describe = (TopItem.Describe) parse("""
				describe "d"
				  let id = 7
				  it "t"
				    when calling GET /x/{{id}}?a=1
				    with body `{}`
				    then status in 200..299
				""").document().items().get(0);
		TestItem.It it = (TestItem.It) describe.items().get(1);
		assertThat(it.when()).isInstanceOfSatisfying(TestItem.When.Calling.class,
				calling -> assertThat(calling.target()).isEqualTo("/x/{{id}}?a=1"));
		assertThat(it.inputs()).singleElement().isInstanceOf(TestItem.With.class);
		assertThat(it.assertions()).singleElement()
			.isEqualTo(new TestItem.Assertion.Status(200, 299, true, it.assertions().get(0).span()));
	}

	@Test
	void windowsLineEndingsParseLikeUnixOnes() throws java.io.IOException {
		for (String fixture : List.of("syntax-example", "describe-forms", "config", "if")) {
			String unix = java.nio.file.Files
				.readString(java.nio.file.Path.of("src/test/resources/language/valid/" + fixture + ".wp"));
			ParseResult windows = parse(unix.replace("\n", "\r\n"));
			assertThat(windows.diagnostics()).as(fixture).isEmpty();
			assertThat(windows.document().items()).hasSameSizeAs(parse(unix).document().items());
		}
	}

	private static Step.Regular onlyStep(String text) {
		ParseResult result = parse(text);
		assertThat(result.diagnostics()).isEmpty();
		TopItem.Route route = (TopItem.Route) result.document().items().get(0);
		List<Step> steps = route.body().steps();
		assertThat(steps).hasSize(1);
		return (Step.Regular) steps.get(0);
	}

	private static ParseResult parse(String text) {
		return Parser.parse(new SourceFile("test.wp", text));
	}

}
