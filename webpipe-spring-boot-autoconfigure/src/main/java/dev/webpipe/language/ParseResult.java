package dev.webpipe.language;

import java.util.List;

/**
 * What the parser made of one file: the document (with every construct it could read) and
 * every diagnostic, errors and warnings, in source order.
 */
public record ParseResult(Document document, List<Diagnostic> diagnostics) {

	public ParseResult {
		diagnostics = List.copyOf(diagnostics);
	}
}
