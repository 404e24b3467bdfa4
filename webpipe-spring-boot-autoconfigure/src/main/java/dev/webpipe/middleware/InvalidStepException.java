package dev.webpipe.middleware;

/**
 * Rejects a step's configuration at load time. The message becomes a diagnostic positioned at
 * the step's config string (or at the step when it has none).
 */
public class InvalidStepException extends Exception {

	private final int offset;

	public InvalidStepException(String message) {
		this(message, -1);
	}

	/**
	 * @param message what is wrong, without position
	 * @param offset 0-based offset inside the config string, or -1 for the string's start
	 */
	public InvalidStepException(String message, int offset) {
		super(message);
		this.offset = offset;
	}

	public int offset() {
		return this.offset;
	}

}
