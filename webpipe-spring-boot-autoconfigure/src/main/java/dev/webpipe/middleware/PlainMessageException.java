package dev.webpipe.middleware;

/**
 * A step failed at run time with a message that is already plain text for clients: no Java
 * class names, no stack trace. The runtime uses the message as is for the
 * {@code <middleware>Error} it records, instead of digging for the innermost cause.
 */
public class PlainMessageException extends RuntimeException {

	public PlainMessageException(String message, Throwable cause) {
		super(message, cause, false, false);
	}

}
