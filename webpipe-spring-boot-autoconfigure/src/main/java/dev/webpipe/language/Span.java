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

	/** The span from the start of this one to the end of {@code other}. */
	public Span to(Span other) {
		return new Span(line, column, other.endLine, other.endColumn);
	}

	/** {@code line} or {@code line-endLine} when the span covers several lines (runtime.md §10). */
	public String lines() {
		return (endLine > line) ? line + "-" + endLine : String.valueOf(line);
	}
}
