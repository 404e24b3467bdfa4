package dev.webpipe.language;

/**
 * A range of source text: 1-based line and column of the first character, and of the
 * position just after the last one. Columns count characters.
 */
public record Span(int line, int column, int endLine, int endColumn) {

	/** A span for nodes made by code rather than parsed from a file. */
	public static final Span NONE = new Span(0, 0, 0, 0);

	public static Span of(int line, int column) {
		return new Span(line, column, line, column);
	}

	/**
	 * The position of character {@code offset} of {@code text}, where {@code text} is source text
	 * that starts at {@code line}:{@code column} (a string's content, an inline argument): for
	 * positions that an embedded language (jq, Lua) reports inside it. An offset past the end is
	 * the position just after the text.
	 */
	public static Span within(int line, int column, String text, int offset) {
		int end = Math.max(0, Math.min(offset, text.length()));
		int lineStart = -1;
		for (int i = 0; i < end; i++) {
			if (text.charAt(i) == '\n') {
				line++;
				lineStart = i;
			}
		}
		int col = (lineStart < 0) ? column + end : end - lineStart;
		return of(line, col);
	}

	/** The span from the start of this one to the end of {@code other}. */
	public Span to(Span other) {
		return new Span(line, column, other.endLine, other.endColumn);
	}

	/** {@code line} or {@code line-endLine} when the span covers several lines (docs/runtime.md#errors-and-result). */
	public String lines() {
		return (endLine > line) ? line + "-" + endLine : String.valueOf(line);
	}
}
