package dev.webpipe.test;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.middleware.Json;

/** JSON comparisons of the assertions (docs/testing.md#assertions). */
final class JsonMatch {

	private JsonMatch() {
	}

	/** JSON equality: object key order ignored, numbers compared by value ({@code 1} equals {@code 1.0}). */
	static boolean equal(@Nullable JsonNode actual, @Nullable JsonNode expected) {
		if (actual == null || expected == null) {
			return actual == expected;
		}
		if (actual.isNumber() && expected.isNumber()) {
			return actual.decimalValue().compareTo(expected.decimalValue()) == 0;
		}
		if (actual.isObject() && expected.isObject()) {
			if (actual.size() != expected.size()) {
				return false;
			}
			for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
				Map.Entry<String, JsonNode> field = it.next();
				if (!equal(actual.get(field.getKey()), field.getValue())) {
					return false;
				}
			}
			return true;
		}
		if (actual.isArray() && expected.isArray()) {
			if (actual.size() != expected.size()) {
				return false;
			}
			for (int i = 0; i < actual.size(); i++) {
				if (!equal(actual.get(i), expected.get(i))) {
					return false;
				}
			}
			return true;
		}
		return actual.equals(expected);
	}

	/**
	 * Containment: objects contain every key of {@code expected} with a containing value; arrays
	 * contain each expected element in some element (order-free); strings contain a substring;
	 * anything else must be equal.
	 */
	static boolean contains(@Nullable JsonNode actual, JsonNode expected) {
		if (actual == null) {
			return false;
		}
		if (expected.isObject()) {
			if (!actual.isObject()) {
				return false;
			}
			for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
				Map.Entry<String, JsonNode> field = it.next();
				if (!contains(actual.get(field.getKey()), field.getValue())) {
					return false;
				}
			}
			return true;
		}
		if (expected.isArray()) {
			if (!actual.isArray()) {
				return false;
			}
			for (JsonNode wanted : expected) {
				boolean found = false;
				for (JsonNode element : actual) {
					if (equal(element, wanted) || contains(element, wanted)) {
						found = true;
						break;
					}
				}
				if (!found) {
					return false;
				}
			}
			return true;
		}
		if (expected.isTextual() && actual.isTextual()) {
			return actual.textValue().contains(expected.textValue());
		}
		return equal(actual, expected);
	}

	/** The text a regular expression or a string comparison sees: a string's value, else compact JSON. */
	static String text(@Nullable JsonNode value) {
		if (value == null) {
			return "";
		}
		return value.isTextual() ? value.textValue() : Json.write(value);
	}

	/** Compact JSON, for one-line messages. */
	static String show(@Nullable JsonNode value) {
		return (value == null) ? "(nothing)" : Json.write(value);
	}

	/** Indented JSON, for the expected/actual of a diff. */
	static String pretty(@Nullable JsonNode value) {
		return (value == null) ? "(nothing)" : Json.pretty(value);
	}

}
