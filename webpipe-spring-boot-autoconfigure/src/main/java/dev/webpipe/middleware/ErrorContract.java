package dev.webpipe.middleware;

/**
 * A typed error a middleware can raise, and the HTTP status the response gets when no
 * {@code result} branch handles it (docs/runtime.md#unhandled-errors).
 *
 * @param type the error's {@code type}, e.g. {@code httpError}
 * @param status the status of the error response, 400 to 599
 */
public record ErrorContract(String type, int status) {

	public ErrorContract {
		if (type.isBlank()) {
			throw new IllegalArgumentException("an error contract needs a type");
		}
		if (status < 400 || status > 599) {
			throw new IllegalArgumentException("the status of '" + type + "' must be 400 to 599, got " + status);
		}
	}

}
