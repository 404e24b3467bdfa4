package dev.webpipe.runtime;

import java.math.BigInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
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

	/** Not written as a JSON number. */
	private static final int TEXT = 0;

	/** A JSON integer: {@code -?(0|[1-9][0-9]*)}. */
	private static final int INTEGER = 1;

	/** Another JSON number: an integer part, then a fraction, an exponent or both. */
	private static final int DECIMAL = 2;

	private NumberCoercion() {
	}

	/**
	 * An integer node when {@code value} is a JSON integer: {@code int}, {@code long} or, beyond 64 bits, an exact
	 * big integer (docs/runtime.md#number-coercion); a double node when it is another JSON number with a finite
	 * double value; else a text node with {@code value} unchanged.
	 */
	public static JsonNode coerce(String value) {
		int kind = kind(value);
		if (kind == TEXT) {
			return TextNode.valueOf(value);
		}
		if (kind == INTEGER) {
			try {
				long number = Long.parseLong(value);
				return (number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE) ? IntNode.valueOf((int) number)
						: LongNode.valueOf(number);
			}
			catch (NumberFormatException overflow) {
				// Too large for a long: exact all the same, never a rounded double.
				return BigIntegerNode.valueOf(new BigInteger(value));
			}
		}
		double number = Double.parseDouble(value);
		return Double.isFinite(number) ? DoubleNode.valueOf(number) : TextNode.valueOf(value);
	}

	/**
	 * How {@code value} is written, scanned once (a route parameter is coerced at every request, and a regular
	 * expression costs several times this): {@code -?(0|[1-9][0-9]*)} is an integer, followed by
	 * {@code (\.[0-9]+)?([eE][+-]?[0-9]+)?} (at least one of them) a decimal, anything else text. Only ASCII digits
	 * count.
	 */
	private static int kind(String value) {
		int length = value.length();
		int i = 0;
		if (i < length && value.charAt(i) == '-') {
			i++;
		}
		if (i >= length || !isDigit(value.charAt(i))) {
			return TEXT;
		}
		if (value.charAt(i) == '0') {
			i++;
		}
		else {
			while (i < length && isDigit(value.charAt(i))) {
				i++;
			}
		}
		if (i == length) {
			return INTEGER;
		}
		if (value.charAt(i) == '.') {
			int digits = ++i;
			while (i < length && isDigit(value.charAt(i))) {
				i++;
			}
			if (i == digits) {
				return TEXT;
			}
		}
		if (i < length && (value.charAt(i) == 'e' || value.charAt(i) == 'E')) {
			i++;
			if (i < length && (value.charAt(i) == '+' || value.charAt(i) == '-')) {
				i++;
			}
			int digits = i;
			while (i < length && isDigit(value.charAt(i))) {
				i++;
			}
			if (i == digits) {
				return TEXT;
			}
		}
		return (i == length) ? DECIMAL : TEXT;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

}
