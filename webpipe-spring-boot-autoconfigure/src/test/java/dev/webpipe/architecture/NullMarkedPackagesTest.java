package dev.webpipe.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.webpipe.testing.ProjectSources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every package of the main code of every module is {@code @NullMarked} (docs/architecture.md#null-safety): each
 * folder of {@code src/main/java} that holds Java files has a {@code package-info.java} annotated with JSpecify's
 * {@code @NullMarked}. Read from the sources, so that a new package, or a new module, is checked as soon as it
 * exists.
 */
class NullMarkedPackagesTest {

	private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

	private static final Pattern NULL_MARKED = Pattern.compile(
			"(?s)(@org\\.jspecify\\.annotations\\.NullMarked\\b.*\\bpackage\\b)"
					+ "|(@NullMarked\\b.*\\bpackage\\b.*\\bimport\\s+org\\.jspecify\\.annotations\\.NullMarked\\s*;)");

	@Test
	void everyMainPackageOfEveryModuleIsNullMarked() throws IOException {
		Map<Path, Path> packages = new TreeMap<>();
		for (Path source : ProjectSources.mainSources()) {
			packages.put(source.getParent(), source.getParent().resolve("package-info.java"));
		}
		List<String> problems = new ArrayList<>();
		for (Path info : packages.values()) {
			String where = ProjectSources.ROOT.relativize(info).toString();
			if (!Files.isRegularFile(info)) {
				problems.add(where + " is missing");
			}
			else if (!isNullMarked(Files.readString(info))) {
				problems.add(where + " does not annotate its package with org.jspecify.annotations.NullMarked");
			}
		}
		assertThat(problems).isEmpty();
		assertThat(ProjectSources.mainFolders()).as("modules with main code").hasSizeGreaterThanOrEqualTo(5);
		assertThat(packages).as("main packages").hasSizeGreaterThan(30);
	}

	@Test
	void anAnnotationInACommentOrAnotherNullMarkedDoesNotCount() {
		assertThat(isNullMarked("@NullMarked\npackage a;\n\nimport org.jspecify.annotations.NullMarked;\n")).isTrue();
		assertThat(isNullMarked("/** Docs. */\n@org.jspecify.annotations.NullMarked\npackage a;\n")).isTrue();
		assertThat(isNullMarked("// @NullMarked\npackage a;\n\nimport org.jspecify.annotations.NullMarked;\n"))
			.isFalse();
		assertThat(isNullMarked("/** Not {@code @NullMarked}. */\npackage a;\n")).isFalse();
		assertThat(isNullMarked("@NullMarked\npackage a;\n\nimport org.example.NullMarked;\n")).isFalse();
	}

	private static boolean isNullMarked(String packageInfo) {
		return NULL_MARKED.matcher(COMMENTS.matcher(packageInfo).replaceAll(" ")).find();
	}

}
