package dev.webpipe.language;

import java.util.List;

/**
 * The inline arguments of a step, {@code name(arg, arg)}: the raw text between the
 * parentheses and the arguments split from it (docs/language.md#inline-arguments). Each argument is a jq
 * expression, trimmed, positioned at its first character.
 */
public record InlineArgs(String raw, List<Arg> args, Span span) implements Node {

	public InlineArgs {
		args = List.copyOf(args);
	}

	public record Arg(String text, Span span) implements Node {

		/** Where character {@code offset} of the argument is in the file. */
		public Span positionOf(int offset) {
			return Span.within(this.span.line(), this.span.column(), this.text, offset);
		}

	}
}
