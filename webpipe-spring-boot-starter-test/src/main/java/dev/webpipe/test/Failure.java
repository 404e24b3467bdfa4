package dev.webpipe.test;

import org.jspecify.annotations.Nullable;

/**
 * A failed assertion.
 *
 * @param line the line of the assertion
 * @param assertion the assertion as written
 * @param message what went wrong, one line
 * @param expected the expected value for a diff, or {@code null}
 * @param actual the actual value for a diff, or {@code null}
 */
record Failure(int line, String assertion, String message, @Nullable String expected,
		@Nullable String actual) {

	/** {@code file:line: assertion — message}. */
	String describe(String file) {
		return file + ":" + this.line + ": " + this.assertion + "\n    " + this.message;
	}

}
