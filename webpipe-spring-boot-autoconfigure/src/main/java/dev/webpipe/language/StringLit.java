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
}
