package dev.webpipe.runtime;

import java.util.Objects;

/**
 * A failure that cannot become a typed error (docs/runtime.md#unhandled-errors): the request answers 500 with
 * {@code {"error": "Pipeline execution failed", "details": …}}. The message is plain text with
 * a location and never names a Java class.
 */
public class FatalPipelineException extends RuntimeException {

	public FatalPipelineException(String message) {
		super(message);
	}

	public FatalPipelineException(String message, Throwable cause) {
		super(message, cause);
	}

	/** The message given to the constructor: never {@code null}. */
	@Override
	public String getMessage() {
		return Objects.requireNonNull(super.getMessage());
	}

}
