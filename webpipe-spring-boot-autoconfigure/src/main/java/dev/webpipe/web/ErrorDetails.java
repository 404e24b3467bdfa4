package dev.webpipe.web;

/**
 * What an unhandled or fatal error response shows the client ({@code webpipe.errors.include-details},
 * docs/runtime.md#what-an-unhandled-error-shows-the-client). The log line always carries the full error.
 * <p>
 * A run whose instrumentation asks for every detail
 * ({@link dev.webpipe.instrumentation.WebPipeInstrumentation#includesErrorDetails}) gets {@link #ALWAYS}: the
 * {@code describe}/{@code it} test runner's requests do. Ordinary requests get the configured value.
 */
public enum ErrorDetails {

	/** Client-facing errors keep their fields; every other error keeps its type and a generic message. */
	NEVER,

	/** Every error as it is in the state, and the details of a fatal error. */
	ALWAYS;

}
