package dev.webpipe.runtime;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;

class NumberCoercionTest {

	@ParameterizedTest
	@CsvSource(textBlock = """
			0,                     0
			17,                    17
			-5,                    -5
			-0,                    0
			2147483648,            2147483648
			9223372036854775807,   9223372036854775807
			-9223372036854775808,  -9223372036854775808
			""")
	void integers(String text, long expected) {
		assertThat(NumberCoercion.coerce(text).canConvertToLong()).isTrue();
		assertThat(NumberCoercion.coerce(text).isIntegralNumber()).isTrue();
		assertThat(NumberCoercion.coerce(text).longValue()).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(textBlock = """
			1.5,                    1.5
			-0.25,                  -0.25
			1e3,                    1000
			1E-2,                   0.01
			2.5e+2,                 250
			0.0,                    0
			""")
	void decimals(String text, double expected) {
		assertThat(NumberCoercion.coerce(text).isDouble()).as(text).isTrue();
		assertThat(NumberCoercion.coerce(text).doubleValue()).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "9223372036854775808", "-9223372036854775809", "12345678901234567890",
			"-99999999999999999999", "123456789012345678901234567890123456789012345678901234567890" })
	void integersBeyond64BitsAreExact(String text) {
		JsonNode number = NumberCoercion.coerce(text);
		assertThat(number.isBigInteger()).as(text).isTrue();
		assertThat(number.bigIntegerValue()).isEqualTo(new BigInteger(text));
		assertThat(Json.write(number)).isEqualTo(text);
	}

	@ParameterizedTest
	@ValueSource(strings = { "02134", "+5", "1.", ".5", "", "abc", "NaN", "0x1F", "1d", "1f", "Infinity", "-Infinity",
			"1e", "1e+", "- 1", " 1", "1 ", "1_000", "1e400", "-1e400", "00", "-", "1.5.2", "٣" })
	void everythingElseStaysAString(String text) {
		assertThat(NumberCoercion.coerce(text).isTextual()).as(text).isTrue();
		assertThat(NumberCoercion.coerce(text).textValue()).isEqualTo(text);
	}

	/**
	 * The number grammar of docs/runtime.md#number-coercion, as a regular expression, against every string of up to
	 * five characters over the characters that matter (a finite one becomes a number): the coercion scans by hand
	 * and must agree with it.
	 */
	@Test
	void agreesWithTheJsonNumberGrammarOnEveryShortString() {
		Pattern number = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");
		List<String> strings = new ArrayList<>(List.of(""));
		List<String> previous = List.of("");
		for (int length = 1; length <= 5; length++) {
			List<String> next = new ArrayList<>();
			for (String prefix : previous) {
				for (char c : "019-+.eE x".toCharArray()) {
					next.add(prefix + c);
				}
			}
			strings.addAll(next);
			previous = next;
		}
		for (String text : strings) {
			JsonNode coerced = NumberCoercion.coerce(text);
			boolean expected = number.matcher(text).matches() && Double.isFinite(Double.parseDouble(text));
			assertThat(coerced.isNumber()).as("'%s'", text).isEqualTo(expected);
		}
	}

}
