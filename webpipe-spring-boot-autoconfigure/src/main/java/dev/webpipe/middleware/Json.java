package dev.webpipe.middleware;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The starter's private Jackson 2 ({@code com.fasterxml.jackson}) mapper and small JSON helpers.
 * <p>
 * The mapper is never exposed as a Spring bean, so it cannot displace the application's own (Jackson 3) mapper.
 * Floating-point numbers are parsed as {@link BigDecimal} with their trailing zeros kept, so a {@code numeric}
 * value such as {@code 12.50} round-trips exactly. Integers are parsed as {@code int}, {@code long} or
 * {@code BigInteger}, whichever fits.
 */
public final class Json {

	/** The shared, fully configured mapper. Thread-safe; do not reconfigure it. */
	public static final ObjectMapper MAPPER = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
		.disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
		.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
		.build();

	/** The node factory of {@link #MAPPER}. */
	public static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

	/** 2^53: below this magnitude every integral double is exactly representable. */
	private static final double MAX_SAFE = 9007199254740992d;

	private static final BigDecimal MAX_SAFE_DECIMAL = BigDecimal.valueOf(9007199254740992L);

	private Json() {
	}

	/**
	 * Parses one JSON document.
	 * @throws InvalidJsonException when the text is not exactly one JSON value
	 */
	public static JsonNode parse(byte[] bytes) {
		try {
			return checkPresent(MAPPER.readTree(bytes));
		}
		catch (JsonProcessingException ex) {
			throw new InvalidJsonException(describe(ex), ex);
		}
		catch (IOException ex) {
			throw new InvalidJsonException(Errors.plainMessage(ex), ex);
		}
	}

	/**
	 * Parses one JSON document.
	 * @throws InvalidJsonException when the text is not exactly one JSON value
	 */
	public static JsonNode parse(String text) {
		try {
			return checkPresent(MAPPER.readTree(text));
		}
		catch (JsonProcessingException ex) {
			throw new InvalidJsonException(describe(ex), ex);
		}
	}

	private static JsonNode checkPresent(JsonNode node) {
		if (node == null || node.isMissingNode()) {
			throw new InvalidJsonException("no JSON value found", null);
		}
		return node;
	}

	/** Compact JSON text. */
	public static String write(JsonNode node) {
		try {
			return MAPPER.writeValueAsString(node);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(Errors.plainMessage(ex), ex);
		}
	}

	/** Compact JSON as UTF-8 bytes. */
	public static byte[] writeBytes(JsonNode node) {
		try {
			return MAPPER.writeValueAsBytes(node);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(Errors.plainMessage(ex), ex);
		}
	}

	/** Indented JSON text (for logs and debugging). */
	public static String pretty(JsonNode node) {
		try {
			return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(Errors.plainMessage(ex), ex);
		}
	}

	/**
	 * Whether a content type is JSON: {@code application/json} or any {@code …+json} type, parameters and case
	 * ignored; {@code null} (none set) is the JSON default. Non-JSON types send a textual payload as text
	 * (docs/runtime.md#the-response).
	 */
	public static boolean isJsonType(String contentType) {
		if (contentType == null) {
			return true;
		}
		int semicolon = contentType.indexOf(';');
		String mime = ((semicolon >= 0) ? contentType.substring(0, semicolon) : contentType).trim()
			.toLowerCase(Locale.ROOT);
		return mime.equals("application/json") || mime.endsWith("+json");
	}

	/** jq truthiness: {@code false}, {@code null} and a missing value are false, everything else is true. */
	public static boolean isTruthy(JsonNode node) {
		return node != null && !node.isNull() && !node.isMissingNode() && !(node.isBoolean() && !node.booleanValue());
	}

	/**
	 * Deep number normalisation: every floating-point number (double, float or decimal) whose value is integral
	 * and whose magnitude is below 2^53 becomes an integer ({@code 2.0} becomes {@code 2}). Other numbers, such as
	 * {@code 1.5} or {@code 1e300}, are kept. Containers are copied only when something inside them changes;
	 * otherwise the same node is returned.
	 */
	public static JsonNode normalize(JsonNode node) {
		if (node == null) {
			return null;
		}
		if (node.isFloatingPointNumber()) {
			return normalizeNumber(node);
		}
		if (node instanceof ObjectNode object) {
			return normalizeObject(object);
		}
		if (node instanceof ArrayNode array) {
			return normalizeArray(array);
		}
		return node;
	}

	private static JsonNode normalizeNumber(JsonNode node) {
		if (node.isBigDecimal()) {
			BigDecimal value = node.decimalValue();
			if (value.signum() == 0) {
				return IntNode.valueOf(0);
			}
			if (value.abs().compareTo(MAX_SAFE_DECIMAL) >= 0) {
				return node;
			}
			BigDecimal stripped = value.stripTrailingZeros();
			return (stripped.scale() <= 0) ? integer(stripped.longValueExact()) : node;
		}
		double value = node.doubleValue();
		if (Double.isFinite(value) && Math.abs(value) < MAX_SAFE && value == Math.rint(value)) {
			return integer((long) value);
		}
		return node;
	}

	private static JsonNode integer(long value) {
		return (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) ? IntNode.valueOf((int) value)
				: LongNode.valueOf(value);
	}

	private static JsonNode normalizeObject(ObjectNode object) {
		ObjectNode copy = null;
		for (Map.Entry<String, JsonNode> field : object.properties()) {
			JsonNode value = field.getValue();
			JsonNode normalized = normalize(value);
			if (copy == null && normalized != value) {
				copy = NODES.objectNode();
				for (Map.Entry<String, JsonNode> earlier : object.properties()) {
					if (earlier.getKey().equals(field.getKey())) {
						break;
					}
					copy.set(earlier.getKey(), earlier.getValue());
				}
			}
			if (copy != null) {
				copy.set(field.getKey(), normalized);
			}
		}
		return (copy != null) ? copy : object;
	}

	private static JsonNode normalizeArray(ArrayNode array) {
		ArrayNode copy = null;
		for (int i = 0; i < array.size(); i++) {
			JsonNode value = array.get(i);
			JsonNode normalized = normalize(value);
			if (copy == null && normalized != value) {
				copy = NODES.arrayNode(array.size());
				for (int j = 0; j < i; j++) {
					copy.add(array.get(j));
				}
			}
			if (copy != null) {
				copy.add(normalized);
			}
		}
		return (copy != null) ? copy : array;
	}

	/** A plain-text description of a Jackson parse failure: what went wrong, then line and column. */
	static String describe(JsonProcessingException ex) {
		String message = ex.getOriginalMessage();
		if (message == null) {
			message = "malformed JSON";
		}
		// Nested locations ("start marker at [Source: ...; line: 1, column: 1]") carry the redacted source.
		message = message.replaceAll("\\[Source: [^;\\]]*; ", "[");
		message = message.replace("\n", " ").trim();
		JsonLocation location = ex.getLocation();
		if (location != null && location.getLineNr() > 0) {
			message = message + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
		}
		return message;
	}

	/** A text that is not exactly one JSON value. The message is plain text for humans. */
	public static final class InvalidJsonException extends RuntimeException {

		InvalidJsonException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
