package dev.webpipe.language;

/** An identifier as written, with its position (used to point diagnostics at names). */
public record Name(String text, Span span) implements Node {

	@Override
	public String toString() {
		return this.text;
	}
}
