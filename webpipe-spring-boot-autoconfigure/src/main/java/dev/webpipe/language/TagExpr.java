package dev.webpipe.language;

import java.util.List;

/** A tag expression (docs/language.md#tags): tags combined with {@code and}, {@code or} and parentheses. */
public sealed interface TagExpr extends Node {

	/** {@code @name}, {@code @!name} or {@code @name(arg, …)}. */
	record Tag(boolean negated, Name name, List<TagArg> args, Span span) implements TagExpr {

		public Tag {
			args = List.copyOf(args);
		}

	}

	/** An argument of a tag: an identifier or a backtick string. */
	record TagArg(boolean backtick, String text, Span span) implements Node {

		/** Where character {@code offset} of the argument's text is in the file. */
		public Span positionOf(int offset) {
			return Span.within(span().line(), span().column() + (backtick() ? 1 : 0), text(), offset);
		}

	}

	/** Two or more operands joined by {@code and}. */
	record And(List<TagExpr> operands, Span span) implements TagExpr {

		public And {
			operands = List.copyOf(operands);
		}

	}

	/** Two or more operands joined by {@code or}. */
	record Or(List<TagExpr> operands, Span span) implements TagExpr {

		public Or {
			operands = List.copyOf(operands);
		}

	}

	/** A parenthesised expression. */
	record Group(TagExpr inner, Span span) implements TagExpr {
	}

}
