package dev.webpipe.language;


/** Where a compiled step came from: the file name used in messages and the step's span. */
public record SourceLocation(String file, Span span) {

	/** {@code file:line}, or {@code file:line-endline} for a step spanning several lines (docs/runtime.md#errors-and-result). */
	@Override
	public String toString() {
		return this.file + ":" + this.span.lines();
	}

	/** {@code file:line:col}. */
	public String withColumn() {
		return this.file + ":" + this.span.line() + ":" + this.span.column();
	}

}
