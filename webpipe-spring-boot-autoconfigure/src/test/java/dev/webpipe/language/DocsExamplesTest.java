package dev.webpipe.language;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.webpipe.testing.DocsExamples;

import static org.assertj.core.api.Assertions.assertThat;

/** Every {@code wp} code block of the documentation ({@code docs/**}) is a complete file that parses cleanly. */
class DocsExamplesTest {

	@TestFactory
	Stream<DynamicTest> everyExampleParses() throws IOException {
		List<DynamicTest> tests = new ArrayList<>();
		List<Path> files = DocsExamples.files();
		for (Path file : files) {
			for (DocsExamples.Block block : DocsExamples.blocks(file)) {
				tests.add(DynamicTest.dynamicTest(block.name(), () -> {
					ParseResult result = Parser.parse(new SourceFile(block.name(), block.text()));
					assertThat(ParserFixturesTest.rendered(result.diagnostics())).isEmpty();
					assertThat(result.document().items()).isNotEmpty();
				}));
			}
		}
		assertThat(files).extracting((p) -> p.getFileName().toString())
			.contains("language.md", "flow-control.md", "lua.md");
		assertThat(tests).as("wp examples in " + DocsExamples.DOCS).hasSizeGreaterThan(20);
		return tests.stream();
	}

}
