package dev.webpipe.language;

/**
 * A string literal: backtick, double-quoted or fenced (three backticks). The content is taken
 * byte for byte, without escapes; the span starts at the opening delimiter.
 */
public record StringLit(Kind kind, String content, Span span) implements StepConfig, Node {

	public enum Kind {

		BACKTICK, QUOTED, FENCED

	}

	/** The column of the first content character relative to the span (for positions inside the string). */
	public int delimiterLength() {
		return (this.kind == Kind.FENCED) ? 3 : 1;
	}

	/** Where character {@code offset} of the content is in the file (the closing delimiter for the end). */
	public Span positionOf(int offset) {
		return Span.within(this.span.line(), this.span.column() + delimiterLength(), this.content, offset);
	}
}
