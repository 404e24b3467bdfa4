package dev.webpipe.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.webpipe.testing.ProjectSources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Comments of the main code cite the documentation of this repository ({@code docs/runtime.md#the-response}),
 * never numbered sections of a document outside it; every cited page and anchor exists (a heading, or an
 * {@code <a id>}).
 */
class CodeCommentsCiteDocsTest {

	private static final Path ROOT = ProjectSources.ROOT;

	private static final Pattern CITATION = Pattern.compile("docs/([\\w/.-]+\\.md)(?:#([\\w-]+))?");

	private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+)$");

	private static final Pattern ANCHOR = Pattern.compile("<a id=\"([\\w-]+)\"></a>");

	@Test
	void everyCitationNamesAnExistingPageAndAnchorAndNoneCitesSections() throws IOException {
		List<Path> sources = ProjectSources.mainSources();
		assertThat(sources).as("main sources").hasSizeGreaterThan(100);
		List<String> problems = new ArrayList<>();
		int citations = 0;
		for (Path source : sources) {
			List<String> lines = Files.readAllLines(source);
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i);
				String where = ROOT.relativize(source) + ":" + (i + 1);
				if (line.contains("§") || line.contains("shared/spec")) {
					problems.add(where + ": cites a section outside the repository");
				}
				Matcher matcher = CITATION.matcher(line);
				while (matcher.find()) {
					citations++;
					Path page = ROOT.resolve("docs").resolve(matcher.group(1));
					if (!Files.isRegularFile(page)) {
						problems.add(where + ": no page docs/" + matcher.group(1));
					}
					else if (matcher.group(2) != null && !anchors(page).contains(matcher.group(2))) {
						problems.add(where + ": no anchor #" + matcher.group(2) + " in docs/" + matcher.group(1));
					}
				}
			}
		}
		assertThat(problems).isEmpty();
		assertThat(citations).as("citations of docs/").isGreaterThan(50);
	}

	/** GitHub's anchors: headings lower-cased, punctuation dropped, spaces as dashes; and explicit ids. */
	static Set<String> anchors(Path page) throws IOException {
		Set<String> anchors = new HashSet<>();
		for (String line : Files.readAllLines(page)) {
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				anchors.add(heading.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
					.replace(' ', '-'));
			}
			Matcher anchor = ANCHOR.matcher(line);
			while (anchor.find()) {
				anchors.add(anchor.group(1));
			}
		}
		return anchors;
	}

}
