package dev.webpipe.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.SourceFile;
import dev.webpipe.autoconfigure.BuiltinMiddleware;
import dev.webpipe.middleware.MiddlewareRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/** The load-time checks of tests (grammar.md §8, 35–37), on {@code spec/broken/broken.wp}, without Spring. */
class SpecLoaderTest {

	private static final MiddlewareRegistry REGISTRY = MiddlewareRegistry.of(BuiltinMiddleware.standalone(), Map.of());

	@Test
	void everyProblemOfTheTestsIsReportedWithItsPosition() throws IOException {
		SpecLoader loader = loader("broken.wp", read("spec/broken/broken.wp"));
		List<SpecLoader.Group> groups = loader.load();
		assertThat(loader.diagnostics()).extracting(Diagnostic::headline).containsExactly(
				"broken.wp:13:13: mock target 'pipeline nowhere': unknown pipeline 'nowhere'",
				"broken.wp:14:13: mock target 'jq.nothing': unknown variable 'nothing' (no jq variable, @result or "
						+ "@async step has that name)",
				"broken.wp:15:13: warning: mock target 'nosuch': unknown middleware 'nosuch'",
				"broken.wp:18:5: unknown route GET /unknown/1 in test",
				"broken.wp:21:5: unknown route POST /known/1 in test",
				"broken.wp:24:5: unknown test variable '{{missing}}'",
				"broken.wp:25:24: unknown test variable '$absent'",
				"broken.wp:28:29: unknown pipeline 'nowhere' in test",
				"broken.wp:31:32: unknown variable jq whisper in test",
				"broken.wp:35:5: invalid status 700 in assertion",
				"broken.wp:36:5: malformed assertion: empty status range 300..200",
				"broken.wp:37:24: malformed assertion: invalid regular expression: Unclosed group",
				"broken.wp:38:18: malformed assertion: invalid selector `a[`: Did not find balanced marker at ''",
				"broken.wp:39:22: jq compile error: unexpected end of program",
				"broken.wp:40:23: unknown pipeline 'nowhere' in test");
		// tests without errors are still built; the others are left out
		assertThat(groups.get(0).specs()).extracting(Spec::name).containsExactly("has a good variable");
	}

	@Test
	void misspeltNamesGetASuggestion() {
		String text = """
				pipeline known =
				  |> jq: `{ known: true }`

				jq shout = `{ shout: .text }`

				describe "misspelt"
				  with mock pipeline knwon returning `{}`
				  with mock jqq returning `{}`

				  it "runs a misspelt pipeline"
				    when executing pipeline knwon

				  it "runs a misspelt variable"
				    when executing variable jq shuot
				""";
		SpecLoader loader = loader("misspelt.wp", text);
		loader.load();
		assertThat(loader.diagnostics()).extracting(Diagnostic::headline).containsExactly(
				"misspelt.wp:7:13: mock target 'pipeline knwon': unknown pipeline 'knwon': did you mean 'known'?",
				"misspelt.wp:8:13: warning: mock target 'jqq': unknown middleware 'jqq': did you mean 'jq'?",
				"misspelt.wp:11:29: unknown pipeline 'knwon' in test: did you mean 'known'?",
				"misspelt.wp:14:32: unknown variable jq shuot in test: did you mean 'shout'?");
	}

	@Test
	void aProgramWithoutProblemsGivesOneGroupPerDescribeWithItsVariablesAndMocks() {
		String text = """
				pipeline load =
				  |> jq: `{ loaded: true }`

				GET /items/:id
				  |> load

				describe "items"
				  let id = 7
				  let label = "seven"
				  with mock pipeline load returning `{ id: $id }`

				  it "overrides"
				    let id = 8
				    and mock pipeline.load returning `{ label: .label }`
				    when calling GET /items/{{id}}?label={{label}}
				    then status is 200

				  it "keeps"
				    when calling GET /items/{{id}}
				""";
		SpecLoader loader = loader("items.wp", text);
		List<SpecLoader.Group> groups = loader.load();
		assertThat(loader.diagnostics()).isEmpty();
		assertThat(groups).singleElement().satisfies((group) -> {
			assertThat(group.name()).isEqualTo("items");
			assertThat(group.line()).isEqualTo(7);
			List<Spec> specs = group.specs();
			assertThat(specs).extracting(Spec::displayName).containsExactly("items › overrides", "items › keeps");
			assertThat(specs.get(0).variables().toString()).isEqualTo("{\"id\":8,\"label\":\"seven\"}");
			assertThat(specs.get(0).action()).isEqualTo(new Spec.Action.Calling("GET", "/items/8?label=seven"));
			assertThat(specs.get(0).mocks().get("pipeline:load").returning().source()).isEqualTo("{ label: .label }");
			assertThat(specs.get(1).action()).isEqualTo(new Spec.Action.Calling("GET", "/items/7"));
			assertThat(specs.get(1).mocks().get("pipeline:load").returning().source()).isEqualTo("{ id: $id }");
		});
	}

	private static SpecLoader loader(String name, String text) {
		CompiledProgram program = Compiler.load(List.of(new SourceFile(name, text)), REGISTRY,
				Compiler.CompilerOptions.defaults());
		return new SpecLoader(program, REGISTRY, (file, line) -> null);
	}

	private static String read(String resource) throws IOException {
		try (InputStream in = SpecLoaderTest.class.getClassLoader().getResourceAsStream(resource)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
