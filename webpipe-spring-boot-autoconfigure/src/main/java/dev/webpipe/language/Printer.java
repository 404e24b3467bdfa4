package dev.webpipe.language;

/** Prints syntax tree nodes back as {@code .wp} source that parses to the same tree. */
final class Printer {

	private Printer() {
	}

	static String print(Node node) {
		throw new UnsupportedOperationException("not implemented yet");
	}
}
