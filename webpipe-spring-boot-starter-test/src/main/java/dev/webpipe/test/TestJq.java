package dev.webpipe.test;

import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.webpipe.middleware.Json;
import dev.webpipe.runtime.jq.JqCompileException;
import dev.webpipe.runtime.jq.JqProgram;
import dev.webpipe.runtime.jq.JqRuntimeException;

/**
 * A jq program of a test ({@code with input}, {@code returning}, {@code output `…`},
 * {@code call … with}) with the test's variables bound as {@code $name} (docs/testing.md#the-language).
 */
final class TestJq {

	private static final Pattern JQ_VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	/** Words jq does not accept after {@code $} (e.g. {@code label $name}). */
	private static final java.util.Set<String> JQ_KEYWORDS = java.util.Set.of("def", "if", "then", "elif", "else",
			"end", "as", "reduce", "foreach", "try", "catch", "label", "import", "include", "and", "or", "not",
			"__loc__");

	private final String source;

	private final JqProgram program;

	private TestJq(String source, JqProgram program) {
		this.source = source;
		this.program = program;
	}

	/**
	 * Compiles {@code source} with each variable bound as {@code $name} (names jq cannot bind,
	 * such as {@code order-id} or {@code label}, stay reachable as {@code .["order-id"]} in inputs).
	 * @throws JqCompileException when the program itself does not compile
	 */
	static TestJq compile(String source, Map<String, JsonNode> variables) throws JqCompileException {
		JqProgram.compile(source);
		StringBuilder bound = new StringBuilder();
		variables.forEach((name, value) -> {
			if (JQ_VARIABLE.matcher(name).matches() && !JQ_KEYWORDS.contains(name)) {
				bound.append('(').append(Json.write(value)).append(") as $").append(name).append(" | ");
			}
		});
		JqProgram program = (bound.length() == 0) ? JqProgram.compile(source)
				: JqProgram.compile(bound + source);
		return new TestJq(source, program);
	}

	/** The program as written. */
	String source() {
		return this.source;
	}

	/**
	 * The first value of the program applied to {@code input}.
	 * @throws JqRuntimeException when it fails
	 */
	JsonNode apply(JsonNode input) throws JqRuntimeException {
		return this.program.apply(input, null);
	}

}
