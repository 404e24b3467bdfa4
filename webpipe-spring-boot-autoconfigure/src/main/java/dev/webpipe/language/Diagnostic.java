package dev.webpipe.language;

/**
 * One load-time message about a {@code .wp} file, positioned at the offending token.
 *
 * @param severity whether the load fails
 * @param file the file name used in messages
 * @param span where the problem is
 * @param message the message, without position
 * @param sourceLine the text of the offending line (empty when unknown)
 */
public record Diagnostic(Severity severity, String file, Span span, String message, String sourceLine) {

	public enum Severity {

		ERROR, WARNING

	}

	public static Diagnostic error(SourceFile source, Span span, String message) {
		return new Diagnostic(Severity.ERROR, source.name(), span, message, source.line(span.line()));
	}

	public static Diagnostic warning(SourceFile source, Span span, String message) {
		return new Diagnostic(Severity.WARNING, source.name(), span, message, source.line(span.line()));
	}

	public boolean isError() {
		return this.severity == Severity.ERROR;
	}

	/** {@code file:line:col: message}. */
	public String headline() {
		String prefix = (this.severity == Severity.WARNING) ? "warning: " : "";
		return this.file + ":" + this.span.line() + ":" + this.span.column() + ": " + prefix + this.message;
	}

	/** The headline, the offending source line and a caret under the column. */
	public String render() {
		StringBuilder out = new StringBuilder(headline());
		if (!this.sourceLine.isEmpty()) {
			out.append('\n').append(this.sourceLine).append('\n');
			int col = Math.max(1, this.span.column());
			for (int i = 1; i < col && i <= this.sourceLine.length(); i++) {
				out.append(this.sourceLine.charAt(i - 1) == '\t' ? '\t' : ' ');
			}
			out.append('^');
		}
		return out.toString();
	}

	@Override
	public String toString() {
		return headline();
	}
}
