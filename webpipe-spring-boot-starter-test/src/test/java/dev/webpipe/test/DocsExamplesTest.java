package dev.webpipe.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.Parser;
import dev.webpipe.language.SourceFile;
import dev.webpipe.autoconfigure.BuiltinMiddleware;
import dev.webpipe.middleware.MiddlewareRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code wp} examples of {@code docs/testing.md} parse, and the first one (a complete file) and the HTML
 * page example load their tests.
 */
class DocsExamplesTest {

	private static final Path DOC = Path.of("../docs/testing.md");

	@Test
	void everyExampleParsesAndTheFirstLoadsWithoutProblems() throws IOException {
		List<String> blocks = blocks(Files.readAllLines(DOC));
		assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
		for (String block : blocks) {
			assertThat(Parser.parse(new SourceFile("testing.md", block)).diagnostics()).as(block).isEmpty();
		}
		MiddlewareRegistry registry = MiddlewareRegistry.of(BuiltinMiddleware.standalone(), Map.of());
		CompiledProgram program = Compiler.load(List.of(new SourceFile("hello.wp", blocks.get(0))), registry,
				Compiler.CompilerOptions.defaults());
		SpecLoader loader = new SpecLoader(program, registry, (file, line) -> null);
		assertThat(loader.load().get(0).specs()).hasSize(1);
		assertThat(loader.diagnostics()).isEmpty();
		String html = blocks.stream().filter((block) -> block.contains("describe \"the greeting page\"")).findFirst()
			.orElseThrow();
		CompiledProgram pages = Compiler.load(List.of(new SourceFile("pages.wp", html)), registry,
				Compiler.CompilerOptions.defaults());
		assertThat(pages.warnings()).isEmpty();
		SpecLoader pageLoader = new SpecLoader(pages, registry, (file, line) -> null);
		assertThat(pageLoader.load().get(0).specs()).hasSize(3);
		assertThat(pageLoader.diagnostics()).isEmpty();
	}

	private static List<String> blocks(List<String> lines) {
		List<String> blocks = new ArrayList<>();
		StringBuilder current = null;
		for (String line : lines) {
			if (current == null && line.equals("```wp")) {
				current = new StringBuilder();
			}
			else if (current != null && line.equals("```")) {
				blocks.add(current.toString());
				current = null;
			}
			else if (current != null) {
				current.append(line).append('\n');
			}
		}
		return blocks;
	}

}
