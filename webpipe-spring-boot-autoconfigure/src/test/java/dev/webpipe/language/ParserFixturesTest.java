package dev.webpipe.language;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data-driven parser tests. Every {@code valid/NAME.wp} must parse without diagnostics,
 * print as {@code valid/NAME.printed}, and survive parse → print → parse with the same tree.
 * Every {@code invalid/NAME.wp} must produce exactly the rendered diagnostics of
 * {@code invalid/NAME.errors}.
 * <p>
 * Run with {@code -Dwebpipe.fixtures.update=true} to (re)write the expected files, then review
 * the diff before committing it.
 */
class ParserFixturesTest {

	private static final Path FIXTURES = Path.of("src/test/resources/language");

	private static final boolean UPDATE = Boolean.getBoolean("webpipe.fixtures.update");

	@TestFactory
	Stream<DynamicTest> validFilesParseAndPrintCanonically() {
		return fixtures("valid").map(file -> DynamicTest.dynamicTest(name(file), () -> {
			ParseResult result = parse(file);
			assertThat(rendered(result.diagnostics())).as("diagnostics").isEmpty();
			String printed = Printer.print(result.document());
			Path expected = sibling(file, ".printed");
			if (UPDATE) {
				Files.writeString(expected, printed);
			}
			assertThat(printed).isEqualTo(read(expected));
		}));
	}

	@TestFactory
	Stream<DynamicTest> validFilesRoundTrip() {
		return fixtures("valid").map(file -> DynamicTest.dynamicTest(name(file), () -> {
			Document original = parse(file).document();
			String printed = original.toSource();
			ParseResult reparsed = Parser.parse(new SourceFile(name(file), printed));
			assertThat(rendered(reparsed.diagnostics())).as("diagnostics of the printed form").isEmpty();
			assertThat(SyntaxTrees.withoutSpans(reparsed.document()))
				.isEqualTo(SyntaxTrees.withoutSpans(original));
			assertThat(reparsed.document().toSource()).as("printing is idempotent").isEqualTo(printed);
		}));
	}

	@TestFactory
	Stream<DynamicTest> invalidFilesReportTheirErrors() {
		return fixtures("invalid").map(file -> DynamicTest.dynamicTest(name(file), () -> {
			ParseResult result = parse(file);
			String actual = rendered(result.diagnostics());
			Path expected = sibling(file, ".errors");
			if (UPDATE) {
				Files.writeString(expected, actual + "\n");
			}
			assertThat(actual).isEqualTo(read(expected).stripTrailing());
		}));
	}

	private static Stream<Path> fixtures(String kind) {
		try (Stream<Path> files = Files.list(FIXTURES.resolve(kind))) {
			List<Path> wp = files.filter(f -> f.toString().endsWith(".wp")).sorted().toList();
			assertThat(wp).as("fixtures in " + kind).isNotEmpty();
			return wp.stream();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static ParseResult parse(Path file) {
		return Parser.parse(new SourceFile(name(file), read(file)));
	}

	static String rendered(List<Diagnostic> diagnostics) {
		return diagnostics.stream().map(Diagnostic::render).collect(Collectors.joining("\n"));
	}

	private static String name(Path file) {
		return file.getFileName().toString();
	}

	private static Path sibling(Path file, String extension) {
		String name = name(file);
		return file.resolveSibling(name.substring(0, name.length() - ".wp".length()) + extension);
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
