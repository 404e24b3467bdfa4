package dev.webpipe.middleware;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JsonTest {

	@Test
	void decimalsAreExactAndKeepTheirDigits() {
		JsonNode node = Json.parse("{\"price\":12.50,\"big\":0.1000000000000000000001,\"n\":7,\"huge\":123456789012345678901234}");
		assertThat(node.get("price").isBigDecimal()).isTrue();
		assertThat(Json.write(node))
			.isEqualTo("{\"price\":12.50,\"big\":0.1000000000000000000001,\"n\":7,\"huge\":123456789012345678901234}");
		assertThat(node.get("n").isInt()).isTrue();
	}

	@Test
	void parsesBytesAndKeepsKeyOrder() {
		JsonNode node = Json.parse("{\"z\":1,\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8));
		assertThat(Json.write(node)).isEqualTo("{\"z\":1,\"a\":\"é\"}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{", "{\"a\":}", "[1,]", "{} x", "nul", "", "   ", "{\"a\":1}}", "'a'" })
	void invalidJsonGivesAPlainMessage(String text) {
		assertThatExceptionOfType(Json.InvalidJsonException.class).isThrownBy(() -> Json.parse(text))
			.satisfies(ex -> assertThat(ex.getMessage()).isNotBlank()
				.doesNotContain("com.fasterxml", "java.", "Source:", "REDACTED", "StreamReadFeature", "\n"));
	}

	@Test
	void invalidJsonMessageHasLineAndColumn() {
		assertThatExceptionOfType(Json.InvalidJsonException.class).isThrownBy(() -> Json.parse("{\n \"a\": x}"))
			.withMessageStartingWith("Unrecognized token 'x'")
			.withMessageEndingWith("(line 2, column 7)");
	}

	@Test
	void prettyIndents() {
		assertThat(Json.pretty(Json.parse("{\"a\":[1]}"))).contains("\n").contains("\"a\"");
	}

	@Test
	void truthiness() {
		assertThat(Json.isTruthy(Json.parse("false"))).isFalse();
		assertThat(Json.isTruthy(NullNode.getInstance())).isFalse();
		assertThat(Json.isTruthy(MissingNode.getInstance())).isFalse();
		assertThat(Json.isTruthy(null)).isFalse();
		for (String truthy : new String[] { "true", "0", "\"\"", "[]", "{}", "\"false\"" }) {
			assertThat(Json.isTruthy(Json.parse(truthy))).as(truthy).isTrue();
		}
	}

	@Test
	void normalizeTurnsIntegralFloatsIntoIntegers() {
		assertThat(Json.write(Json.normalize(DoubleNode.valueOf(1.0)))).isEqualTo("1");
		assertThat(Json.normalize(DoubleNode.valueOf(-4.0)).isInt()).isTrue();
		assertThat(Json.normalize(DoubleNode.valueOf(4.0e12)).isLong()).isTrue();
		assertThat(Json.write(Json.normalize(Json.parse("[2.0,{\"a\":3.00,\"b\":[1.5,0.0]},\"2.0\"]"))))
			.isEqualTo("[2,{\"a\":3,\"b\":[1.5,0]},\"2.0\"]");
	}

	@Test
	void normalizeKeepsOtherNumbers() {
		assertThat(Json.normalize(DoubleNode.valueOf(1e300)).isDouble()).isTrue();
		assertThat(Json.normalize(DoubleNode.valueOf(9007199254740992d)).isDouble()).isTrue();
		assertThat(Json.normalize(DoubleNode.valueOf(Double.NaN)).isDouble()).isTrue();
		assertThat(Json.normalize(Json.parse("1E+400")).isBigDecimal()).isTrue();
		assertThat(Json.normalize(Json.parse("9007199254740993.0")).isBigDecimal()).isTrue();
	}

	@Test
	void normalizeReturnsTheSameNodeWhenNothingChanges() {
		JsonNode node = Json.parse("{\"a\":[1,2.5,{\"b\":\"c\"}],\"d\":null}");
		assertThat(Json.normalize(node)).isSameAs(node);
	}

	@Test
	void normalizeCopiesOnlyWhatChangesAndKeepsKeyOrder() {
		JsonNode node = Json.parse("{\"x\":{\"k\":1},\"a\":2.0,\"z\":[3]}");
		JsonNode normalized = Json.normalize(node);
		assertThat(normalized).isNotSameAs(node);
		assertThat(Json.write(normalized)).isEqualTo("{\"x\":{\"k\":1},\"a\":2,\"z\":[3]}");
		assertThat(normalized.get("x")).isSameAs(node.get("x"));
		assertThat(Json.write(node)).isEqualTo("{\"x\":{\"k\":1},\"a\":2.0,\"z\":[3]}");
	}

	@Test
	void jsonContentTypesAreJsonAndNoneSetIsTheJsonDefault() {
		assertThat(Json.isJsonType(null)).isTrue();
		assertThat(Json.isJsonType("application/json")).isTrue();
		assertThat(Json.isJsonType("Application/JSON; charset=utf-8")).isTrue();
		assertThat(Json.isJsonType("application/problem+json")).isTrue();
		assertThat(Json.isJsonType("text/plain")).isFalse();
		assertThat(Json.isJsonType("text/json-like")).isFalse();
	}

}
