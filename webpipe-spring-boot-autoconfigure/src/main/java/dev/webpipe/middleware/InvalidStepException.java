package dev.webpipe.middleware;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Rejects a step's configuration at load time. The message becomes a diagnostic positioned at
 * the character {@link #offset()} of the config text where it is written in the {@code .wp} file
 * (in the variable's string when the step names a variable, or in another variable's string for
 * {@link #inVariable(String, String, int)}), or at the step's config string when there is no offset
 * (at the step when it has no config).
 */
public class InvalidStepException extends Exception {

	private final int offset;

	private final boolean setup;

	private final @Nullable String variable;
	private final boolean reported;

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

	private InvalidStepException(String message, int offset, boolean setup) {
		this(message, offset, setup, false, null);
	}

	private InvalidStepException(String message, int offset, boolean setup, boolean reported, @Nullable String variable) {
		super(message);
		this.offset = offset;
		this.setup = setup;
		this.reported = reported;
		this.variable = variable;
	}

	/**
	 * A problem inside another variable of the same middleware (a {@code handlebars} partial),
	 * positioned inside that variable's text.
	 * @param variable the variable's name, a key of {@link StepDefinition#variables()}
	 * @param message what is wrong, without position
	 * @param offset 0-based offset inside the variable's text, or -1 for its start
	 */
	public static InvalidStepException inVariable(String variable, String message, int offset) {
		return new InvalidStepException(message, offset, false, false, variable);
	}

	/** A config block the step reads did not bind: the load reported that at the block's key already. */
	static InvalidStepException alreadyReported(String message) {
		return new InvalidStepException(message, -1, false, true, null);
	}

	/** Whether the problem was reported elsewhere already, so the step adds no diagnostic. */
	public boolean isAlreadyReported() {
		return this.reported;
	}

	/**
	 * A problem of the middleware's set-up rather than of the step, such as "no database
	 * configured": reported once per program, at the first step that meets it.
	 */
	public static InvalidStepException setup(String message) {
		return new InvalidStepException(message, -1, true);
	}

	/** Whether this is a {@link #setup(String) set-up problem}, reported once per program. */
	public boolean isSetup() {
		return this.setup;
	}

	public int offset() {
		return this.offset;
	}

	/** The variable the {@link #offset()} is in, or {@code null} for the step's own config string. */
	public @Nullable String variable() {
		return this.variable;
	}

	/** What is wrong, plain text: never {@code null}, as every constructor takes it. */
	@Override
	public String getMessage() {
		return Objects.requireNonNull(super.getMessage());
	}

}
