package dev.webpipe.middleware.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.webpipe.middleware.Errors;

/**
 * The messages of the typed errors an {@code auth} step raises; their statuses when no {@code result}
 * branch handles them are declared by {@link AuthMiddleware#errors()}.
 */
final class AuthErrors {

	static final String MISSING_LOGIN = "Missing login or password";

	static final String INVALID_CREDENTIALS = "Invalid credentials";

	static final String MISSING_FIELDS = "Missing required fields: login, email, password";

	static final String USER_EXISTS = "User already exists";

	static final String AUTHENTICATION_REQUIRED = "Authentication required";

	static final String INVALID_SESSION = "Invalid session";

	static final String INSUFFICIENT_PERMISSIONS = "Insufficient permissions";

	static final String TOO_MANY_ATTEMPTS = "Too many login attempts";

	/** The message of a {@code sqlError} when the tables are missing or lack a column. */
	static final String MISSING_TABLES = "auth needs the tables users(id, login, email, password_hash, type, status) "
			+ "and sessions(user_id, token, expires_at)";

	private AuthErrors() {
	}

	static ObjectNode authError(String message) {
		return Errors.error("authError", message);
	}

}
