package dev.webpipe.middleware.store;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.middleware.ConfigBlock;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Json;

/**
 * The {@code key: value} config strings of {@code cache} and {@code rateLimit}: pairs separated by commas or
 * new lines, each value the trimmed text after the first colon (docs/middleware/cache.md#settings); and the
 * values of both, in config strings and {@code config} blocks: booleans, counts and durations, as JSON values
 * or their text. A value that does not convert is a {@link ConfigBlock.InvalidValueException} naming its key.
 */
public final class ConfigPairs {

	private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)?");

	private ConfigPairs() {
	}

	/**
	 * The pairs of a config string, as an object of strings.
	 * @param middleware the middleware name, for messages
	 * @throws InvalidStepException for a part without a colon or with an empty key, at its offset
	 */
	public static ObjectNode parse(String middleware, String config) throws InvalidStepException {
		ObjectNode pairs = Json.NODES.objectNode();
		int start = 0;
		while (start <= config.length()) {
			int end = start;
			while (end < config.length() && config.charAt(end) != ',' && config.charAt(end) != '\n') {
				end++;
			}
			String part = config.substring(start, end);
			String trimmed = part.trim();
			if (!trimmed.isEmpty()) {
				int offset = start + part.indexOf(trimmed.charAt(0));
				int colon = trimmed.indexOf(':');
				String key = (colon > 0) ? trimmed.substring(0, colon).trim() : "";
				if (key.isEmpty()) {
					throw new InvalidStepException(middleware + ": cannot parse '" + trimmed
							+ "': expected 'key: value'", offset);
				}
				pairs.put(key, trimmed.substring(colon + 1).trim());
			}
			start = end + 1;
		}
		return pairs;
	}

	/** A boolean value: a JSON boolean, or the text {@code true}/{@code false}. */
	public static boolean bool(@Nullable JsonNode value, String key, boolean fallback) {
		if (value == null || value.isNull()) {
			return fallback;
		}
		if (value.isBoolean()) {
			return value.booleanValue();
		}
		String text = value.asText().trim().toLowerCase(Locale.ROOT);
		if (text.equals("true") || text.equals("false")) {
			return text.equals("true");
		}
		throw new ConfigBlock.InvalidValueException(key,
				"invalid value '" + value.asText() + "' for '" + key + "' (true or false)");
	}

	/** A non-negative whole number: a JSON integer or its text. */
	public static long count(@Nullable JsonNode value, String key, long fallback) {
		if (value == null || value.isNull()) {
			return fallback;
		}
		if (value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0) {
			return value.longValue();
		}
		String text = value.asText().trim();
		if (text.matches("\\d{1,18}")) {
			return Long.parseLong(text);
		}
		throw new ConfigBlock.InvalidValueException(key, "invalid value '" + value.asText() + "' for '" + key
				+ "' (a whole number, 0 or more)");
	}

	/**
	 * A duration in seconds ({@link #seconds(JsonNode)}), or {@code fallback} when the value is absent.
	 * @throws ConfigBlock.InvalidValueException naming {@code key} when the value is not a duration
	 */
	public static long seconds(@Nullable JsonNode value, String key, long fallback) {
		if (value == null || value.isNull()) {
			return fallback;
		}
		Long seconds = seconds(value);
		if (seconds == null) {
			throw new ConfigBlock.InvalidValueException(key, "invalid value '" + value.asText() + "' for '" + key
					+ "' (seconds, or a number with ms, s, m, h or d)");
		}
		return seconds;
	}

	/**
	 * A duration in seconds: a whole number of seconds, or {@code <n>ms|s|m|h|d} ({@code ms} divided by 1000,
	 * rounded down); {@code null} when the value is none of these.
	 */
	public static @Nullable Long seconds(@Nullable JsonNode value) {
		if (value == null || value.isNull()) {
			return null;
		}
		if (value.isIntegralNumber() && value.canConvertToLong()) {
			return (value.longValue() >= 0) ? value.longValue() : null;
		}
		Matcher matcher = DURATION.matcher(value.asText().trim());
		if (!matcher.matches()) {
			return null;
		}
		long n = Long.parseLong(matcher.group(1));
		String unit = (matcher.group(2) != null) ? matcher.group(2) : "s";
		return switch (unit) {
			case "ms" -> n / 1000;
			case "m" -> n * 60;
			case "h" -> n * 3600;
			case "d" -> n * 86400;
			default -> n;
		};
	}

}
