package dev.webpipe.language;

/**
 * The hand-written recursive-descent parser of {@code .wp} files (grammar.md). It drives its
 * own scanner, so context-sensitive rules (paths, inline arguments, keywords) are read in the
 * mode the grammar expects at that point, and it reports every syntax error of a file in one
 * pass, recovering at the next step or top-level keyword.
 */
public final class Parser {

	private Parser() {
	}

	public static ParseResult parse(SourceFile source) {
		throw new UnsupportedOperationException("not implemented yet");
	}
}
