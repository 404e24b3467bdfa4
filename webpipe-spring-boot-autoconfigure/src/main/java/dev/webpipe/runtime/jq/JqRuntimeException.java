package dev.webpipe.runtime.jq;

import org.jspecify.annotations.Nullable;

import dev.webpipe.middleware.PlainMessageException;

/**
 * A jq program failed while running. The message is {@code JQ execution error: <detail>}, plain text without
 * Java class names or stack traces; the caller turns it into a {@code jqError}.
 */
public final class JqRuntimeException extends PlainMessageException {

	private final String detail;

	JqRuntimeException(String detail, @Nullable Throwable cause) {
		super("JQ execution error: " + detail, cause);
		this.detail = detail;
	}

	/** What went wrong, without the {@code JQ execution error: } prefix. */
	public String detail() {
		return this.detail;
	}

}
