package dev.webpipe.middleware.handlebars;

import java.util.ArrayList;
import java.util.List;

/**
 * A template's text as it is compiled: leading and trailing blank lines removed, the common
 * indentation (spaces and tabs) of the non-blank lines stripped and line ends written as {@code \n}
 * (docs/middleware/handlebars.md#templates).
 * Remembers where each compiled line was in the original text, so that positions reported by
 * Handlebars map back to the {@code .wp} file.
 */
final class TemplateText {

	private final String text;

	/** Offset in the original text of the first kept character of each compiled line. */
	private final int[] lineStarts;

	private TemplateText(String text, int[] lineStarts) {
		this.text = text;
		this.lineStarts = lineStarts;
	}

	static TemplateText of(String original) {
		List<int[]> lines = new ArrayList<>();
		int lineStart = 0;
		for (int i = 0; i <= original.length(); i++) {
			if (i == original.length() || original.charAt(i) == '\n') {
				int end = (i > lineStart && original.charAt(i - 1) == '\r') ? i - 1 : i;
				lines.add(new int[] { lineStart, end });
				lineStart = i + 1;
			}
		}
		while (lines.size() > 1 && isBlank(original, lines.get(0))) {
			lines.remove(0);
		}
		while (lines.size() > 1 && isBlank(original, lines.get(lines.size() - 1))) {
			lines.remove(lines.size() - 1);
		}
		if (lines.size() == 1 && isBlank(original, lines.get(0))) {
			return new TemplateText("", new int[] { 0 });
		}
		int indent = Integer.MAX_VALUE;
		for (int[] line : lines) {
			int width = 0;
			while (line[0] + width < line[1] && isIndent(original.charAt(line[0] + width))) {
				width++;
			}
			boolean blank = line[0] + width >= line[1] || original.substring(line[0] + width, line[1]).isBlank();
			if (!blank) {
				indent = Math.min(indent, width);
			}
		}
		if (indent == Integer.MAX_VALUE) {
			indent = 0;
		}
		StringBuilder text = new StringBuilder();
		int[] starts = new int[lines.size()];
		for (int i = 0; i < lines.size(); i++) {
			int[] line = lines.get(i);
			int from = line[0];
			int stripped = 0;
			while (stripped < indent && from < line[1] && isIndent(original.charAt(from))) {
				from++;
				stripped++;
			}
			starts[i] = from;
			if (i > 0) {
				text.append('\n');
			}
			text.append(original, from, line[1]);
		}
		return new TemplateText(text.toString(), starts);
	}

	String text() {
		return this.text;
	}

	/**
	 * The offset in the original text of a position in the compiled text.
	 * @param line 1-based line of the compiled text
	 * @param column 0-based column of the compiled text
	 * @return the original offset, or -1 when the line is out of range
	 */
	int originalOffset(int line, int column) {
		if (line < 1 || line > this.lineStarts.length) {
			return -1;
		}
		return this.lineStarts[line - 1] + Math.max(column, 0);
	}

	/** The offset in the original text of an offset in the compiled text. */
	int originalOffset(int offset) {
		int line = 1;
		int lineStart = 0;
		for (int i = 0; i < offset && i < this.text.length(); i++) {
			if (this.text.charAt(i) == '\n') {
				line++;
				lineStart = i + 1;
			}
		}
		return originalOffset(line, offset - lineStart);
	}

	private static boolean isBlank(String text, int[] line) {
		return text.substring(line[0], line[1]).isBlank();
	}

	private static boolean isIndent(char c) {
		return c == ' ' || c == '\t';
	}

}
