package dev.webpipe.middleware.auth;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.webpipe.middleware.InvalidStepException;

/**
 * What one {@code auth} step does, parsed from its config ({@code login}, {@code register},
 * {@code required}, {@code optional}, {@code logout} or {@code "type:<role>"}; docs/middleware/auth.md).
 *
 * @param kind the flow
 * @param role the role a {@link Kind#TYPE} step requires, else {@code null}
 */
record AuthFlow(Kind kind, @Nullable String role) {

	enum Kind {

		LOGIN, REGISTER, REQUIRED, OPTIONAL, LOGOUT, TYPE

	}

	static final String TYPE_PREFIX = "type:";

	static AuthFlow parse(String config) throws InvalidStepException {
		String text = config.trim();
		if (text.startsWith(TYPE_PREFIX)) {
			String role = text.substring(TYPE_PREFIX.length()).trim();
			if (!role.isEmpty()) {
				return new AuthFlow(Kind.TYPE, role);
			}
		}
		else {
			for (Kind kind : Kind.values()) {
				if (kind != Kind.TYPE && kind.name().toLowerCase(Locale.ROOT).equals(text)) {
					return new AuthFlow(kind, null);
				}
			}
		}
		throw new InvalidStepException(
				"auth: unknown flow '" + text + "' (login, logout, register, required, optional, type:<t>)");
	}

	/** Whether the step reads the session cookie and sets {@code .user} from it. */
	boolean checksSession() {
		return this.kind == Kind.REQUIRED || this.kind == Kind.OPTIONAL || this.kind == Kind.TYPE;
	}

}
