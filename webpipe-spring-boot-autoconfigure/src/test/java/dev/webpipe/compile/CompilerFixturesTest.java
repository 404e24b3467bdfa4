package dev.webpipe.compile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.LoadException;
import dev.webpipe.language.SourceFile;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Load-time checks of the compiler as data: every {@code compile/NAME.wp} must fail to load
 * with exactly the rendered diagnostics of {@code compile/NAME.errors} (errors and warnings).
 * Run with {@code -Dwebpipe.fixtures.update=true} to rewrite the expected files, then review
 * the diff.
 */
class CompilerFixturesTest {

	private static final Path FIXTURES = Path.of("src/test/resources/compile");

	private static final boolean UPDATE = Boolean.getBoolean("webpipe.fixtures.update");

	@TestFactory
	Stream<DynamicTest> filesReportTheirLoadErrors() throws IOException {
		List<Path> files;
		try (Stream<Path> list = Files.list(FIXTURES)) {
			files = list.filter((p) -> p.toString().endsWith(".wp")).sorted().toList();
		}
		assertThat(files).as("fixtures in " + FIXTURES).isNotEmpty();
		return files.stream().map((file) -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
			String name = file.getFileName().toString();
			SourceFile source = new SourceFile(name, Files.readString(file));
			String actual;
			try {
				Compiler.load(List.of(source), Programs.registry(),
						new Compiler.CompilerOptions((key) -> null, Map.of()));
				actual = "";
			}
			catch (LoadException ex) {
				actual = ex.diagnostics().stream().map(Diagnostic::render).collect(Collectors.joining("\n")) + "\n";
			}
			Path expected = FIXTURES.resolve(name.replace(".wp", ".errors"));
			if (UPDATE) {
				Files.writeString(expected, actual);
			}
			assertThat(actual).isEqualTo(Files.readString(expected));
		}));
	}

}
