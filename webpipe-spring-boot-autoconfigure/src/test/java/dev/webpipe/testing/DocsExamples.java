package dev.webpipe.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The {@code wp} code blocks of the user documentation ({@code docs/**}{@code /*.md}). */
public final class DocsExamples {

	/** The documentation folder, seen from a module's directory. */
	public static final Path DOCS = Path.of("../docs");

	private DocsExamples() {
	}

	/**
	 * One code block.
	 *
	 * @param name {@code <file>:<first line>}, relative to the docs folder
	 * @param text the block's lines
	 */
	public record Block(String name, String text) {
	}

	/** The Markdown files of the documentation, sorted. */
	public static List<Path> files() throws IOException {
		try (Stream<Path> files = Files.walk(DOCS)) {
			return files.filter((p) -> p.toString().endsWith(".md")).sorted().toList();
		}
	}

	/** The {@code wp} blocks of a Markdown file (fenced with three or more backticks). */
	public static List<Block> blocks(Path file) throws IOException {
		return blocks(file, "wp");
	}

	/** The blocks of one language ({@code wp}, {@code json}, {@code java}, …) of a Markdown file. */
	public static List<Block> blocks(Path file, String language) throws IOException {
		List<String> lines = Files.readAllLines(file);
		String label = DOCS.relativize(file).toString().replace('\\', '/');
		List<Block> blocks = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			if (line.matches("`{3,}" + language + "\\s*")) {
				String fence = line.substring(0, line.indexOf(language));
				int first = i + 1;
				StringBuilder block = new StringBuilder();
				i++;
				while (i < lines.size() && !lines.get(i).equals(fence)) {
					block.append(lines.get(i)).append('\n');
					i++;
				}
				blocks.add(new Block(label + ":" + first, block.toString()));
			}
		}
		return blocks;
	}

}
