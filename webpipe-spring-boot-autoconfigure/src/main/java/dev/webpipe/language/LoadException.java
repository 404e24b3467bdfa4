package dev.webpipe.language;

import java.util.List;

/**
 * Thrown when {@code .wp} files cannot be loaded; carries every error diagnostic of the load
 * (at most {@value #MAX_REPORTED} rendered, then a count of the rest).
 */
public class LoadException extends RuntimeException {

	static final int MAX_REPORTED = 50;

	private final List<Diagnostic> diagnostics;

	public LoadException(List<Diagnostic> diagnostics) {
		super(render(diagnostics));
		this.diagnostics = List.copyOf(diagnostics);
	}

	/** Every diagnostic of the load, errors and warnings, in file and position order. */
	public List<Diagnostic> diagnostics() {
		return this.diagnostics;
	}

	public List<Diagnostic> errors() {
		return this.diagnostics.stream().filter(Diagnostic::isError).toList();
	}

	public static String render(List<Diagnostic> diagnostics) {
		List<Diagnostic> errors = diagnostics.stream().filter(Diagnostic::isError).toList();
		StringBuilder out = new StringBuilder();
		out.append(errors.size()).append(errors.size() == 1 ? " error" : " errors").append(" in .wp files:");
		for (int i = 0; i < errors.size() && i < MAX_REPORTED; i++) {
			out.append("\n\n").append(errors.get(i).render());
		}
		if (errors.size() > MAX_REPORTED) {
			out.append("\n\n... and ").append(errors.size() - MAX_REPORTED).append(" more errors");
		}
		return out.toString();
	}
}
