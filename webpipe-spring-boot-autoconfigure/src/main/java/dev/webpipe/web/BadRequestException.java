package dev.webpipe.web;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The request cannot be turned into a request state (malformed JSON body, body too large), so the route does not
 * run. Answer with {@link #status()} and the JSON {@link #body()} (a {@code validationError} envelope).
 */
final class BadRequestException extends RuntimeException {

	private final int status;

	private final transient ObjectNode body;

	public BadRequestException(int status, ObjectNode body) {
		super(message(body), null, false, false);
		this.status = status;
		this.body = body;
	}

	/** The HTTP status to answer with (400 or 413). */
	public int status() {
		return this.status;
	}

	/** The response body, {@code {"errors":[…]}}. */
	public ObjectNode body() {
		return this.body;
	}

	private static String message(ObjectNode body) {
		String message = body.path("errors").path(0).path("message").asText("");
		return message.isEmpty() ? "bad request" : message;
	}

}
