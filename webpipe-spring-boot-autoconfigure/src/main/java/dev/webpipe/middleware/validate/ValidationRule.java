package dev.webpipe.middleware.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import org.springframework.lang.Contract;

import dev.webpipe.middleware.Json;

/**
 * One {@code field: kind} rule of a {@code validate} step (docs/middleware/validate.md#rules).
 *
 * @param field the key of {@code .body} the rule checks
 * @param kind what the value must be
 * @param min the least length in code points for {@link Kind#STRING}, or -1
 * @param max the greatest length in code points for {@link Kind#STRING}, or -1
 */
record ValidationRule(String field, Kind kind, int min, int max) {

	/** The kinds of value a rule asks for. */
	public enum Kind {

		STRING, EMAIL, NUMBER, BOOLEAN

	}

	/** The {@code validationError} for {@code value} (missing: {@code null}), or {@code null} when it passes. */
	@Nullable ObjectNode check(@Nullable JsonNode value) {
		switch (this.kind) {
			case STRING -> {
				if (!isNonEmptyString(value)) {
					return error("required", "Field '" + this.field + "' is required and must be a non-empty string");
				}
				String text = value.textValue();
				int length = text.codePointCount(0, text.length());
				if (this.min >= 0 && length < this.min) {
					return error("minLength", "Field '" + this.field + "' must be at least " + this.min + " characters");
				}
				if (this.max >= 0 && length > this.max) {
					return error("maxLength", "Field '" + this.field + "' must be at most " + this.max + " characters");
				}
				return null;
			}
			case EMAIL -> {
				if (!isNonEmptyString(value)) {
					return error("required", "Field '" + this.field + "' is required and must be a valid email");
				}
				String text = value.textValue();
				if (text.indexOf('@') < 0 || text.indexOf('.') < 0 || text.startsWith("@") || text.endsWith("@")) {
					return error("email", "Field '" + this.field + "' must be a valid email address");
				}
				return null;
			}
			case NUMBER -> {
				return (value != null && value.isNumber()) ? null
						: error("required", "Field '" + this.field + "' is required and must be a number");
			}
			default -> {
				return (value != null && value.isBoolean()) ? null
						: error("required", "Field '" + this.field + "' is required and must be a boolean");
			}
		}
	}

	/** The JSON Schema of the values this rule accepts. */
	ObjectNode schema() {
		ObjectNode schema = Json.NODES.objectNode();
		switch (this.kind) {
			case STRING -> {
				schema.put("type", "string");
				schema.put("minLength", Math.max(1, this.min));
				if (this.max >= 0) {
					schema.put("maxLength", this.max);
				}
			}
			case EMAIL -> {
				schema.put("type", "string");
				schema.put("format", "email");
				schema.put("minLength", 1);
			}
			case NUMBER -> schema.put("type", "number");
			default -> schema.put("type", "boolean");
		}
		return schema;
	}

	@Contract("null -> false")
	private static boolean isNonEmptyString(@Nullable JsonNode value) {
		return value != null && value.isTextual() && !value.textValue().isEmpty();
	}

	private ObjectNode error(String rule, String message) {
		ObjectNode ordered = Json.NODES.objectNode();
		ordered.put("type", "validationError");
		ordered.put("field", this.field);
		ordered.put("context", this.field);
		ordered.put("rule", rule);
		ordered.put("message", message);
		return ordered;
	}

}
