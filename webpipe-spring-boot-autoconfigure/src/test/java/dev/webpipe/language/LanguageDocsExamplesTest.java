package dev.webpipe.language;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Every {@code wp} code block of {@code docs/language.md} is a complete file that parses cleanly. */
class LanguageDocsExamplesTest {

	private static final Path DOC = Path.of("../docs/language.md");

	@TestFactory
	Stream<DynamicTest> everyExampleParses() throws IOException {
		List<String> lines = Files.readAllLines(DOC);
		List<DynamicTest> tests = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			if (line.matches("`{3,}wp\\s*")) {
				String fence = line.substring(0, line.indexOf("wp"));
				int first = i + 1;
				StringBuilder block = new StringBuilder();
				i++;
				while (i < lines.size() && !lines.get(i).equals(fence)) {
					block.append(lines.get(i)).append('\n');
					i++;
				}
				String name = "language.md:" + first;
				String text = block.toString();
				tests.add(DynamicTest.dynamicTest(name, () -> {
					ParseResult result = Parser.parse(new SourceFile(name, text));
					assertThat(ParserFixturesTest.rendered(result.diagnostics())).isEmpty();
					assertThat(result.document().items()).isNotEmpty();
				}));
			}
		}
		assertThat(tests).as("wp examples in " + DOC).hasSizeGreaterThan(10);
		return tests.stream();
	}

}
