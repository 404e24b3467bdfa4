package dev.webpipe.test;

import org.junit.jupiter.api.Test;

import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;

/** The equality and containment rules of {@code output equals|contains} and {@code call … with} (testing.md §5). */
class JsonMatchTest {

	@Test
	void equalityIgnoresKeyOrderAndComparesNumbersByValue() {
		assertThat(equal("{\"a\":1,\"b\":[1.0,2]}", "{\"b\":[1,2.00],\"a\":1.0}")).isTrue();
		assertThat(equal("[1,2]", "[2,1]")).isFalse();
		assertThat(equal("{\"a\":1}", "{\"a\":1,\"b\":null}")).isFalse();
		assertThat(equal("\"1\"", "1")).isFalse();
		assertThat(equal("null", "null")).isTrue();
	}

	@Test
	void containmentIsRecursiveOrderFreeForArraysAndSubstringForStrings() {
		assertThat(contains("{\"a\":{\"b\":1,\"c\":2},\"d\":3}", "{\"a\":{\"c\":2}}")).isTrue();
		assertThat(contains("{\"a\":{\"b\":1}}", "{\"a\":{\"c\":2}}")).isFalse();
		assertThat(contains("[{\"id\":1,\"x\":true},{\"id\":2}]", "[{\"id\":2},{\"id\":1}]")).isTrue();
		assertThat(contains("[1,2,3]", "[3,1]")).isTrue();
		assertThat(contains("[1,2,3]", "[4]")).isFalse();
		assertThat(contains("\"red shoes\"", "\"shoe\"")).isTrue();
		assertThat(contains("{\"n\":1.0}", "{\"n\":1}")).isTrue();
		assertThat(contains("5", "5")).isTrue();
		assertThat(contains("[1]", "{\"a\":1}")).isFalse();
	}

	private static boolean equal(String actual, String expected) {
		return JsonMatch.equal(Json.parse(actual), Json.parse(expected));
	}

	private static boolean contains(String actual, String expected) {
		return JsonMatch.contains(Json.parse(actual), Json.parse(expected));
	}

}
