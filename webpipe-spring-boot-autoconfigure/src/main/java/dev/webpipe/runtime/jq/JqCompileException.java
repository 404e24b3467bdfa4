package dev.webpipe.runtime.jq;

import java.util.OptionalInt;

import org.jspecify.annotations.Nullable;

/**
 * A jq program that jackson-jq refuses to compile. The message is {@code jq compile error: <detail>}; the detail is
 * plain text without Java class names.
 * <p>
 * When jackson-jq reports where the problem is (syntax and lexical errors do; a number literal too large for it
 * does not), {@link #offset()}, {@link #line()} and {@link #column()} give that position inside the jq source, so
 * the caller can position its diagnostic inside the {@code .wp} file.
 */
public final class JqCompileException extends Exception {

	private final String detail;

	private final int line;

	private final int column;

	private final int offset;

	JqCompileException(String detail, int line, int column, int offset, @Nullable Throwable cause) {
		super("jq compile error: " + detail, cause, false, false);
		this.detail = detail;
		this.line = line;
		this.column = column;
		this.offset = offset;
	}

	/** What is wrong, in plain text, without the {@code jq compile error: } prefix. */
	public String detail() {
		return this.detail;
	}

	/** 0-based character offset of the problem inside the jq source; empty when jackson-jq gives no position. */
	public OptionalInt offset() {
		return (this.offset >= 0) ? OptionalInt.of(this.offset) : OptionalInt.empty();
	}

	/** 1-based line of the problem inside the jq source; 0 when unknown. */
	public int line() {
		return this.line;
	}

	/** 1-based column (in characters; a tab counts as one) of the problem inside the jq source; 0 when unknown. */
	public int column() {
		return this.column;
	}

}
