package dev.webpipe.middleware;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * Helpers for typed error envelopes (docs/runtime.md#errors-and-result) and for turning exceptions into plain messages.
 * <p>
 * A state carries a typed error when it is an object whose {@code errors} is a non-empty array whose first
 * element is an object with a string {@code type}.
 */
public final class Errors {

	/** Used when no usable message can be found. */
	public static final String GENERIC_MESSAGE = "internal error";

	/** A fully qualified Java class name, optionally followed by ": " (as in Throwable.toString()). */
	private static final Pattern CLASS_NAME = Pattern
		.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error|Throwable)\\b:?\\s*");

	private Errors() {
	}

	/** Whether {@code state} carries a typed error. */
	public static boolean hasTypedError(@Nullable JsonNode state) {
		return firstType(state) != null;
	}

	/** {@code errors[0].type} when {@code state} carries a typed error, else {@code null}. */
	public static @Nullable String firstType(@Nullable JsonNode state) {
		if (state == null || !state.isObject()) {
			return null;
		}
		JsonNode errors = state.get("errors");
		if (errors == null || !errors.isArray() || errors.isEmpty()) {
			return null;
		}
		JsonNode first = errors.get(0);
		if (!first.isObject()) {
			return null;
		}
		JsonNode type = first.get("type");
		return (type != null && type.isTextual()) ? type.textValue() : null;
	}

	/** {@code {"type": type, "message": message}}. */
	public static ObjectNode error(String type, @Nullable String message) {
		ObjectNode error = Json.NODES.objectNode();
		error.put("type", type);
		error.put("message", message);
		return error;
	}

	/** {@code {"errors": [error]}}. */
	public static ObjectNode envelope(ObjectNode error) {
		ObjectNode envelope = Json.NODES.objectNode();
		ArrayNode errors = envelope.putArray("errors");
		errors.add(error);
		return envelope;
	}

	/**
	 * A message for humans: the innermost cause's message, with Java class names removed. When the innermost
	 * cause has no message, the nearest enclosing one that has is used; when none has, {@link #GENERIC_MESSAGE}.
	 * Never a stack trace.
	 */
	public static String plainMessage(@Nullable Throwable error) {
		if (error == null) {
			return GENERIC_MESSAGE;
		}
		Map<Throwable, Boolean> seen = new IdentityHashMap<>();
		java.util.ArrayList<Throwable> chain = new java.util.ArrayList<>();
		for (Throwable t = error; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
			chain.add(t);
		}
		for (int i = chain.size() - 1; i >= 0; i--) {
			Throwable t = chain.get(i);
			if (t instanceof NullPointerException || t instanceof ClassCastException) {
				// Their messages describe Java internals, not the user's problem.
				continue;
			}
			String message = clean(t.getMessage());
			if (!message.isEmpty()) {
				return message;
			}
		}
		return GENERIC_MESSAGE;
	}

	private static String clean(@Nullable String message) {
		if (message == null) {
			return "";
		}
		String cleaned = CLASS_NAME.matcher(message).replaceAll("");
		int newline = cleaned.indexOf('\n');
		if (newline >= 0) {
			cleaned = cleaned.substring(0, newline);
		}
		return cleaned.trim();
	}

}
