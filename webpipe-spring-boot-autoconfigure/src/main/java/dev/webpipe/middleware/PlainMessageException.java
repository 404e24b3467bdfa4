package dev.webpipe.middleware;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A step failed at run time with a message that is already plain text for clients: no Java
 * class names, no stack trace. The runtime uses the message as is for the
 * {@code <middleware>Error} it records, instead of digging for the innermost cause.
 */
public class PlainMessageException extends RuntimeException {

	@Override
	public String getMessage() {
		// every constructor takes the message
		return Objects.requireNonNull(super.getMessage());
	}

	public PlainMessageException(String message, @Nullable Throwable cause) {
		super(message, cause, false, false);
	}

}
