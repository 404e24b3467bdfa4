package dev.webpipe.web;

/**
 * What an unhandled or fatal error response shows the client ({@code webpipe.errors.include-details},
 * docs/runtime.md#what-an-unhandled-error-shows-the-client). The log line always carries the full error.
 * <p>
 * A request may override the configured value: a subscriber puts a value under {@link #CONTEXT_KEY} in the Reactor
 * context of the request (the {@code describe}/{@code it} test runner does, with {@link #ALWAYS}, for its in-process
 * requests). Ordinary requests have no such entry and get the configured value.
 */
public enum ErrorDetails {

	/** Client-facing errors keep their fields; every other error keeps its type and a generic message. */
	NEVER,

	/** Every error as it is in the state, and the details of a fatal error. */
	ALWAYS;

	/** The Reactor context key of a per-request override. */
	public static final Class<ErrorDetails> CONTEXT_KEY = ErrorDetails.class;

}
