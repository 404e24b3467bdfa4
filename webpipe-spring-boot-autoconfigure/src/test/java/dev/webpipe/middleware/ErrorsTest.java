package dev.webpipe.middleware;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorsTest {

	@Test
	void typedErrorNeedsAnObjectWithANonEmptyErrorsArrayWhoseFirstElementHasAStringType() {
		assertThat(Errors.firstType(Json.parse("{\"errors\":[{\"type\":\"sqlError\"},{\"type\":\"x\"}]}")))
			.isEqualTo("sqlError");
		assertThat(Errors.hasTypedError(Json.parse("{\"errors\":[{\"type\":\"sqlError\"}],\"a\":1}"))).isTrue();
		for (String state : new String[] { "{}", "{\"errors\":[]}", "{\"errors\":{\"type\":\"x\"}}",
				"{\"errors\":[\"x\"]}", "{\"errors\":[{\"type\":1}]}", "{\"errors\":[{\"message\":\"m\"}]}",
				"{\"errors\":[{\"message\":\"m\"},{\"type\":\"x\"}]}", "[{\"type\":\"x\"}]", "\"errors\"", "null" }) {
			assertThat(Errors.hasTypedError(Json.parse(state))).as(state).isFalse();
			assertThat(Errors.firstType(Json.parse(state))).as(state).isNull();
		}
		assertThat(Errors.hasTypedError(null)).isFalse();
	}

	@Test
	void errorAndEnvelope() {
		assertThat(Json.write(Errors.error("jqError", "bad"))).isEqualTo("{\"type\":\"jqError\",\"message\":\"bad\"}");
		assertThat(Json.write(Errors.envelope(Errors.error("x", "m"))))
			.isEqualTo("{\"errors\":[{\"type\":\"x\",\"message\":\"m\"}]}");
	}

	@Test
	void plainMessageUsesTheInnermostCause() {
		Exception error = new IllegalStateException("outer", new UncheckedIOException(new IOException("disk full")));
		assertThat(Errors.plainMessage(error)).isEqualTo("disk full");
	}

	@Test
	void plainMessageFallsBackOutwardAndStripsClassNames() {
		// RuntimeException(Throwable) takes the cause's toString() as its message.
		Exception wrapped = new RuntimeException("lookup failed", new RuntimeException(new IllegalArgumentException()));
		assertThat(Errors.plainMessage(wrapped)).isEqualTo("lookup failed");
		assertThat(Errors.plainMessage(new RuntimeException(new IllegalArgumentException("bad value"))))
			.isEqualTo("bad value");
		assertThat(Errors.plainMessage(new RuntimeException("java.lang.IllegalStateException: not ready")))
			.isEqualTo("not ready");
	}

	@Test
	void plainMessageNeverShowsJavaInternals() {
		assertThat(Errors.plainMessage(new NullPointerException("Cannot invoke \"String.length()\"")))
			.isEqualTo(Errors.GENERIC_MESSAGE);
		assertThat(Errors.plainMessage(new RuntimeException(new NullPointerException())))
			.isEqualTo(Errors.GENERIC_MESSAGE);
		assertThat(Errors.plainMessage(new RuntimeException())).isEqualTo(Errors.GENERIC_MESSAGE);
		assertThat(Errors.plainMessage(null)).isEqualTo(Errors.GENERIC_MESSAGE);
		assertThat(Errors.plainMessage(new IllegalStateException("line one\n\tat x.Y.z(Y.java:1)")))
			.isEqualTo("line one");
	}

	@Test
	void plainMessageSurvivesCauseCycles() {
		Exception a = new Exception("a");
		Exception b = new Exception("b", a);
		a.initCause(b);
		assertThat(Errors.plainMessage(b)).isIn("a", "b");
	}

}
