package dev.webpipe.middleware;

/**
 * Rejects a step's configuration at load time. The message becomes a diagnostic positioned at
 * the step's config string (or at the step when it has none).
 */
public class InvalidStepException extends Exception {

	private final int offset;

	private final boolean reportedOnce;

	public InvalidStepException(String message) {
		this(message, -1);
	}

	/**
	 * @param message what is wrong, without position
	 * @param offset 0-based offset inside the config string, or -1 for the string's start
	 */
	public InvalidStepException(String message, int offset) {
		this(message, offset, false);
	}

	private InvalidStepException(String message, int offset, boolean reportedOnce) {
		super(message);
		this.offset = offset;
		this.reportedOnce = reportedOnce;
	}

	/**
	 * A rejection that concerns every step of the middleware rather than this one (missing
	 * infrastructure, such as no database or no GraphQL target): the program reports it once,
	 * at the first step that gets it.
	 */
	public static InvalidStepException forEveryStep(String message) {
		return new InvalidStepException(message, -1, true);
	}

	public int offset() {
		return this.offset;
	}

	/** Whether the program reports this message once, at the first step (see {@link #forEveryStep}). */
	public boolean reportedOnce() {
		return this.reportedOnce;
	}

}
