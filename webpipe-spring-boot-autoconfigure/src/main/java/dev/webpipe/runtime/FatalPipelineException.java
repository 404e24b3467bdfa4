package dev.webpipe.runtime;

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

}
