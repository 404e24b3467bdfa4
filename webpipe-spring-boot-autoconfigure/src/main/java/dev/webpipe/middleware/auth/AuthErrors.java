package dev.webpipe.middleware.auth;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.webpipe.middleware.Errors;

/**
 * The typed errors an {@code auth} step raises, with the status each gets when no {@code result}
 * branch handles it (docs/runtime.md, unhandled errors), and their messages.
 */
final class AuthErrors {

	/** Error type → status when unhandled. */
	static final Map<String, Integer> CONTRACT;

	static {
		Map<String, Integer> contract = new LinkedHashMap<>();
		contract.put("authError", 401);
		contract.put("sqlError", 500);
		CONTRACT = java.util.Collections.unmodifiableMap(contract);
	}

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
