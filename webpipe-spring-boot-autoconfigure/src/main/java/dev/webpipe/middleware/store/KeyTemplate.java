package dev.webpipe.middleware.store;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.middleware.Json;

/**
 * A key template such as {@code user-{params.id}}: text with {@code {dot.path}} placeholders resolved
 * against the state (docs/middleware/cache.md#keys, docs/middleware/rate-limit.md#keys). A segment that is
 * a number indexes an array. Strings are inserted raw, other scalars as their text, arrays and objects as
 * compact JSON; what a missing value and {@code null} become is given by the caller. Compiled once,
 * thread-safe. A {@code {} without a closing {@code }} is literal text.
 */
public final class KeyTemplate {

	private final String source;

	private final List<Object> parts;

	private final String missing;

	private final String nullText;

	private KeyTemplate(String source, List<Object> parts, String missing, String nullText) {
		this.source = source;
		this.parts = parts;
		this.missing = missing;
		this.nullText = nullText;
	}

	/**
	 * @param template the template text (quotes are literal characters)
	 * @param missing what a placeholder whose path does not exist becomes
	 * @param nullText what a placeholder whose value is {@code null} becomes
	 */
	public static KeyTemplate compile(String template, String missing, String nullText) {
		List<Object> parts = new ArrayList<>();
		StringBuilder literal = new StringBuilder();
		int i = 0;
		while (i < template.length()) {
			char c = template.charAt(i);
			int close = (c == '{') ? template.indexOf('}', i + 1) : -1;
			if (close < 0) {
				literal.append(c);
				i++;
				continue;
			}
			if (literal.length() > 0) {
				parts.add(literal.toString());
				literal.setLength(0);
			}
			String path = template.substring(i + 1, close).trim();
			if (path.startsWith(".")) {
				path = path.substring(1);
			}
			parts.add(path.isEmpty() ? new String[0] : path.split("\\.", -1));
			i = close + 1;
		}
		if (literal.length() > 0) {
			parts.add(literal.toString());
		}
		return new KeyTemplate(template, List.copyOf(parts), missing, nullText);
	}

	/** The template as written. */
	public String source() {
		return this.source;
	}

	/** The key for {@code state}. */
	public String render(JsonNode state) {
		if (this.parts.size() == 1 && this.parts.get(0) instanceof String text) {
			return text;
		}
		StringBuilder key = new StringBuilder();
		for (Object part : this.parts) {
			if (part instanceof String text) {
				key.append(text);
			}
			else {
				key.append(text(resolve(state, (String[]) part)));
			}
		}
		return key.toString();
	}

	private String text(@Nullable JsonNode value) {
		if (value == null || value.isMissingNode()) {
			return this.missing;
		}
		if (value.isNull()) {
			return this.nullText;
		}
		if (value.isTextual()) {
			return value.textValue();
		}
		if (value.isContainerNode()) {
			return Json.write(value);
		}
		return Json.normalize(value).asText();
	}

	private static @Nullable JsonNode resolve(JsonNode state, String[] path) {
		JsonNode node = state;
		for (String segment : path) {
			if (node == null) {
				return null;
			}
			if (node.isObject()) {
				node = node.get(segment);
			}
			else if (node.isArray() && isIndex(segment)) {
				node = node.get(Integer.parseInt(segment));
			}
			else {
				return null;
			}
		}
		return node;
	}

	private static boolean isIndex(String segment) {
		return !segment.isEmpty() && segment.length() <= 9 && segment.chars().allMatch(Character::isDigit);
	}

}
