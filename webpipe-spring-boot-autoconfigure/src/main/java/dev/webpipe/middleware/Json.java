package dev.webpipe.middleware;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import org.springframework.lang.Contract;

/**
 * The starter's private Jackson 2 ({@code com.fasterxml.jackson}) mapper and small JSON helpers.
 * <p>
 * The mapper is never exposed as a Spring bean, so it cannot displace the application's own (Jackson 3) mapper.
 * Floating-point numbers are parsed as {@link BigDecimal} with their trailing zeros kept, so a {@code numeric}
 * value such as {@code 12.50} round-trips exactly. Integers are parsed as {@code int}, {@code long} or
 * {@code BigInteger}, whichever fits.
 */
public final class Json {

	/**
	 * The shared, fully configured mapper. Private because an {@link ObjectMapper} can be
	 * reconfigured: callers get the helpers below and immutable {@link ObjectReader}s.
	 */
	private static final ObjectMapper MAPPER = configure(JsonMapper.builder());

	/** The node factory of the starter's mapper (immutable). */
	public static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

	/** 2^53: below this magnitude every integral double is exactly representable. */
	private static final double MAX_SAFE = 9007199254740992d;

	private static final BigDecimal MAX_SAFE_DECIMAL = BigDecimal.valueOf(9007199254740992L);

	private Json() {
	}

	private static ObjectMapper configure(JsonMapper.Builder builder) {
		return builder.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
			.disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
			.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
			.build();
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
	 * A reader configured as the starter's mapper that refuses documents nested deeper than
	 * {@code maxNestingDepth} (arrays and objects), for input from clients
	 * ({@link #parse(ObjectReader, byte[])}). Readers are immutable.
	 */
	public static ObjectReader withMaxNestingDepth(int maxNestingDepth) {
		JsonFactory factory = JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
			.build();
		return configure(JsonMapper.builder(factory)).reader();
	}

	/**
	 * Parses one JSON document with {@code reader} (one of {@link #withMaxNestingDepth(int)}).
	 * @throws InvalidJsonException when the text is not exactly one JSON value
	 */
	public static JsonNode parse(ObjectReader reader, byte[] bytes) {
		try {
			return checkPresent(reader.readTree(bytes));
		}
		catch (StreamConstraintsException ex) {
			int maxDepth = reader.getFactory().streamReadConstraints().getMaxNestingDepth();
			String where = tooDeep(bytes, maxDepth);
			throw new InvalidJsonException((where != null) ? "nested deeper than " + maxDepth + " levels (" + where + ")"
					: describe(ex), ex);
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

	/**
	 * A reader of {@code type} configured as the starter's mapper (immutable; {@code with(…)}
	 * returns a new reader).
	 */
	public static ObjectReader readerFor(Class<?> type) {
		return MAPPER.readerFor(type);
	}

	/** Properties of {@code type} as the starter's mapper binds them (for config blocks). */
	static BeanDescription describeType(Class<?> type) {
		return MAPPER.getDeserializationConfig().introspect(MAPPER.constructType(type));
	}

	/**
	 * A Java value (a map, a list, a number, a string, a boolean or {@code null}) as a JSON node.
	 * @throws IllegalArgumentException when the value cannot be represented as JSON
	 */
	public static JsonNode valueToTree(@Nullable Object value) {
		return MAPPER.valueToTree(value);
	}

	/**
	 * A JSON node (or another value) converted to {@code type}, e.g. a {@code Map<String, Object>}.
	 * @throws IllegalArgumentException when the value does not convert
	 */
	public static <T> T convert(Object value, TypeReference<T> type) {
		return MAPPER.convertValue(value, type);
	}

	private static JsonNode checkPresent(@Nullable JsonNode node) {
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
			throw new IllegalStateException(describeWrite(ex), ex);
		}
	}

	/** Compact JSON as UTF-8 bytes. */
	public static byte[] writeBytes(JsonNode node) {
		try {
			return MAPPER.writeValueAsBytes(node);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(describeWrite(ex), ex);
		}
	}

	/** Indented JSON text (for logs and debugging). */
	public static String pretty(JsonNode node) {
		try {
			return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(describeWrite(ex), ex);
		}
	}

	/**
	 * Whether a content type is JSON: {@code application/json} or any {@code …+json} type, parameters and case
	 * ignored; {@code null} (none set) is the JSON default. Non-JSON types send a textual payload as text
	 * (docs/runtime.md#the-response).
	 */
	public static boolean isJsonType(@Nullable String contentType) {
		if (contentType == null) {
			return true;
		}
		int semicolon = contentType.indexOf(';');
		String mime = ((semicolon >= 0) ? contentType.substring(0, semicolon) : contentType).trim()
			.toLowerCase(Locale.ROOT);
		return mime.equals("application/json") || mime.endsWith("+json");
	}

	/** jq truthiness: {@code false}, {@code null} and a missing value are false, everything else is true. */
	public static boolean isTruthy(@Nullable JsonNode node) {
		return node != null && !node.isNull() && !node.isMissingNode() && !(node.isBoolean() && !node.booleanValue());
	}

	/**
	 * Deep number normalisation: every floating-point number (double, float or decimal) whose value is integral
	 * and whose magnitude is below 2^53 becomes an integer ({@code 2.0} becomes {@code 2}). Other numbers, such as
	 * {@code 1.5} or {@code 1e300}, are kept. Containers are copied only when something inside them changes;
	 * otherwise the same node is returned.
	 */
	@Contract("!null -> !null")
	public static @Nullable JsonNode normalize(@Nullable JsonNode node) {
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

	/**
	 * {@code line L, column C} of the first {@code [} or <code>{</code> of {@code bytes} nested deeper than
	 * {@code maxDepth} (strings skipped; columns count characters), or {@code null} when there is none.
	 */
	static @Nullable String tooDeep(byte[] bytes, int maxDepth) {
		int depth = 0;
		int line = 1;
		int column = 0;
		boolean inString = false;
		boolean escaped = false;
		for (byte b : bytes) {
			if ((b & 0xC0) != 0x80) {
				column++;
			}
			if (inString) {
				if (escaped) {
					escaped = false;
				}
				else if (b == '\\') {
					escaped = true;
				}
				else if (b == '"') {
					inString = false;
				}
				continue;
			}
			switch (b) {
				case '"' -> inString = true;
				case '[', '{' -> {
					if (++depth > maxDepth) {
						return "line " + line + ", column " + column;
					}
				}
				case ']', '}' -> depth--;
				case '\n' -> {
					line++;
					column = 0;
				}
				default -> {
				}
			}
		}
		return null;
	}

	/** A plain-text description of a failure to write JSON, naming no class and no library setting. */
	static String describeWrite(JsonProcessingException ex) {
		if (ex instanceof StreamConstraintsException || ex.getCause() instanceof StreamConstraintsException) {
			return "JSON nested deeper than " + StreamWriteConstraints.defaults().getMaxNestingDepth()
					+ " levels cannot be written";
		}
		String message = Errors.plainMessage(ex);
		return LIBRARY_TERMS.matcher(message).find() ? "the value cannot be written as JSON" : message;
	}

	/** Words of Jackson's messages that name its classes or settings rather than the input. */
	private static final Pattern LIBRARY_TERMS = Pattern
		.compile("`|Feature|Constraints|jackson|JsonNode|DeserializationContext|\\bbound as\\b");

	/**
	 * A plain-text description of a Jackson parse failure: what went wrong, then line and column. It names the
	 * position but never a Java class or a library setting (docs/runtime.md#the-request-state).
	 */
	static String describe(JsonProcessingException ex) {
		String message = ex.getOriginalMessage();
		if (message == null) {
			message = "malformed JSON";
		}
		if (ex instanceof StreamConstraintsException) {
			String text = message.toLowerCase(Locale.ROOT);
			message = text.contains("nesting depth") ? "nested too deeply"
					: text.contains("number") ? "a number is too long"
					: text.contains("string") ? "a string is too long"
					: text.contains("name") ? "a name is too long" : "the document is too large";
			Matcher limit = LIMIT.matcher(text);
			if (limit.find()) {
				message = message + " (the limit is " + limit.group(1) + ")";
			}
		}
		else if (message.startsWith("Trailing token")) {
			message = "unexpected content after the JSON value";
		}
		else {
			// "...: maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled)",
			// "Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
			message = message.replaceAll("\\s*\\(not recognized as one since[^)]*\\)", "");
			message = message.replaceAll(":?\\s*enable `[^`]*`[^;)]*", "");
			if (LIBRARY_TERMS.matcher(message).find()) {
				message = "malformed JSON";
			}
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

	/** "exceeds the maximum allowed (1000, from ..." : the limit. */
	private static final Pattern LIMIT = Pattern.compile("maximum (?:allowed )?\\(?([0-9]+)");

	/** A text that is not exactly one JSON value. The message is plain text for humans. */
	public static final class InvalidJsonException extends RuntimeException {

		InvalidJsonException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

}
