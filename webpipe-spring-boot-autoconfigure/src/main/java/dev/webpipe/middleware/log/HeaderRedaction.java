package dev.webpipe.middleware.log;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.webpipe.middleware.Json;

/**
 * The header values that {@code log} and {@code debug} write as {@code ***} ({@code webpipe.log.redact-headers},
 * docs/middleware/log.md#redaction). Applied to a copy of what is written, never to the state itself:
 * <ul>
 * <li>every object under a key {@code headers} or {@code setHeaders}, at any depth: the values of the listed names
 * (case-insensitive);</li>
 * <li>when {@code cookie} is listed, every value of an object under a key {@code cookies} (the parsed
 * {@code Cookie} header);</li>
 * <li>when {@code set-cookie} is listed, every string of an array under a key {@code setCookies}: the cookie keeps
 * its name and attributes, its value becomes {@code ***}.</li>
 * </ul>
 * Thread-safe and immutable.
 */
public final class HeaderRedaction {

	/** The default list: credentials and session cookies. */
	public static final List<String> DEFAULT_HEADERS = List.of("authorization", "proxy-authorization", "cookie",
			"set-cookie", "x-api-key");

	/** What a redacted value is written as. */
	static final String MASK = "***";

	private static final HeaderRedaction DEFAULTS = new HeaderRedaction(DEFAULT_HEADERS);

	private final Set<String> names;

	private final boolean cookies;

	private final boolean setCookies;

	/** @param names the header names to redact, in any case; an empty list redacts nothing */
	public HeaderRedaction(Collection<String> names) {
		this.names = names.stream()
			.map((name) -> name.trim().toLowerCase(Locale.ROOT))
			.filter((name) -> !name.isEmpty())
			.collect(Collectors.toUnmodifiableSet());
		this.cookies = this.names.contains("cookie");
		this.setCookies = this.names.contains("set-cookie");
	}

	/** The default list ({@link #DEFAULT_HEADERS}). */
	public static HeaderRedaction defaults() {
		return DEFAULTS;
	}

	/** Whether {@code name} is redacted. */
	public boolean redacts(String name) {
		return this.names.contains(name.toLowerCase(Locale.ROOT));
	}

	/**
	 * {@code value} with the listed header values replaced; the same node when there is nothing to replace, else a
	 * copy (the argument is never changed).
	 */
	public JsonNode apply(JsonNode value) {
		if (this.names.isEmpty() || value == null) {
			return value;
		}
		return walk(value);
	}

	/**
	 * A headers object (name to value) with the listed values replaced; the same node when there is nothing to
	 * replace, else a copy.
	 */
	JsonNode applyToHeaders(JsonNode headers) {
		if (this.names.isEmpty() || !(headers instanceof ObjectNode object)) {
			return apply(headers);
		}
		return headers(object);
	}

	private JsonNode walk(JsonNode node) {
		if (node instanceof ObjectNode object) {
			ObjectNode copy = null;
			for (Map.Entry<String, JsonNode> field : object.properties()) {
				JsonNode child = field.getValue();
				JsonNode redacted = redactField(field.getKey(), child);
				if (redacted != child && copy == null) {
					copy = object.deepCopy();
				}
				if (copy != null) {
					copy.set(field.getKey(), redacted);
				}
			}
			return (copy != null) ? copy : object;
		}
		if (node instanceof ArrayNode array) {
			ArrayNode copy = null;
			for (int i = 0; i < array.size(); i++) {
				JsonNode child = array.get(i);
				JsonNode redacted = walk(child);
				if (redacted != child && copy == null) {
					copy = array.deepCopy();
				}
				if (copy != null) {
					copy.set(i, redacted);
				}
			}
			return (copy != null) ? copy : array;
		}
		return node;
	}

	private JsonNode redactField(String key, JsonNode child) {
		if ((key.equals("headers") || key.equals("setHeaders")) && child instanceof ObjectNode headers) {
			return headers(headers);
		}
		if (key.equals("cookies") && this.cookies && child instanceof ObjectNode cookies && !cookies.isEmpty()) {
			ObjectNode copy = Json.NODES.objectNode();
			cookies.properties().forEach((cookie) -> copy.put(cookie.getKey(), MASK));
			return copy;
		}
		if (key.equals("setCookies") && this.setCookies && child instanceof ArrayNode cookies && !cookies.isEmpty()) {
			ArrayNode copy = Json.NODES.arrayNode(cookies.size());
			cookies.forEach((cookie) -> copy.add(cookie.isTextual() ? TextNode.valueOf(setCookie(cookie.textValue()))
					: walk(cookie)));
			return copy;
		}
		return walk(child);
	}

	private JsonNode headers(ObjectNode headers) {
		ObjectNode copy = null;
		for (Map.Entry<String, JsonNode> header : headers.properties()) {
			JsonNode value = header.getValue();
			JsonNode redacted = redacts(header.getKey()) ? TextNode.valueOf(MASK) : walk(value);
			if (redacted != value && !(value.isTextual() && MASK.equals(value.textValue())) && copy == null) {
				copy = headers.deepCopy();
			}
			if (copy != null) {
				copy.set(header.getKey(), redacted);
			}
		}
		return (copy != null) ? copy : headers;
	}

	/** {@code sid=abc; Path=/} becomes {@code sid=***; Path=/}. */
	static String setCookie(String cookie) {
		int semicolon = cookie.indexOf(';');
		String pair = (semicolon >= 0) ? cookie.substring(0, semicolon) : cookie;
		String attributes = (semicolon >= 0) ? cookie.substring(semicolon) : "";
		int equals = pair.indexOf('=');
		String name = (equals >= 0) ? pair.substring(0, equals).trim() : "";
		return (name.isEmpty() ? "" : name + "=") + MASK + attributes;
	}

}
