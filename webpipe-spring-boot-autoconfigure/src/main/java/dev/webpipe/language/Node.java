package dev.webpipe.language;

/**
 * A node of the {@code .wp} syntax tree. Every node is immutable and knows where it came from.
 * {@link #toSource()} prints the node back as {@code .wp} source that parses to the same tree.
 */
public interface Node {

	Span span();

	default String toSource() {
		return Printer.print(this);
	}
}
