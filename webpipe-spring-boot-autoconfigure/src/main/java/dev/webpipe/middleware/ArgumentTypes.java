package dev.webpipe.middleware;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** Names of JSON value types for messages about inline arguments ("…, got: number"). */
public final class ArgumentTypes {

	private ArgumentTypes() {
	}

	/** The jq type name of a value: {@code null}, {@code boolean}, {@code number}, {@code string}, {@code array} or {@code object}. */
	public static String of(@Nullable JsonNode value) {
		if (value == null || value.isNull() || value.isMissingNode()) {
			return "null";
		}
		if (value.isTextual()) {
			return "string";
		}
		if (value.isNumber()) {
			return "number";
		}
		if (value.isBoolean()) {
			return "boolean";
		}
		return value.isArray() ? "array" : "object";
	}

}
