package dev.webpipe.runtime;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Number coercion of query and route parameters (docs/runtime.md#number-coercion): a value becomes a JSON number only when it is
 * written the way a JSON number is written; everything else ({@code "02134"}, {@code "+5"}, {@code "1."},
 * {@code ".5"}, {@code ""}, {@code "NaN"}, {@code "0x1F"}, {@code "1d"}, {@code "Infinity"}) stays a string.
 */
public final class NumberCoercion {

	private static final Pattern INTEGER = Pattern.compile("-?(?:0|[1-9][0-9]*)");

	private static final Pattern DECIMAL = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

	private NumberCoercion() {
	}

	/**
	 * An integer node when {@code value} is a JSON integer that fits a signed 64-bit integer, a double node when
	 * it is a JSON number with a finite double value, else a text node with {@code value} unchanged.
	 */
	public static JsonNode coerce(String value) {
		if (value.isEmpty() || !DECIMAL.matcher(value).matches()) {
			return TextNode.valueOf(value);
		}
		if (INTEGER.matcher(value).matches()) {
			try {
				long number = Long.parseLong(value);
				return (number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE) ? IntNode.valueOf((int) number)
						: LongNode.valueOf(number);
			}
			catch (NumberFormatException overflow) {
				// Too large for a long: try it as a decimal below.
			}
		}
		double number = Double.parseDouble(value);
		return Double.isFinite(number) ? DoubleNode.valueOf(number) : TextNode.valueOf(value);
	}

}
