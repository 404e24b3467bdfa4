package dev.webpipe.test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.runtime.CompiledPipeline;

/**
 * One {@code it} of a {@code describe} block, checked and ready to run: its variables, mocks,
 * inputs, what it executes and its assertions (testing.md).
 *
 * @param describe the name of the describe block
 * @param name the name of the test
 * @param file the {@code .wp} file name used in messages
 * @param line the line of the {@code it}
 * @param source where IDEs find the test, or {@code null}
 * @param variables the test's variables as one object ({@code .} of its jq inputs)
 * @param action what the test executes
 * @param inputs the jq programs of {@code with input|body|headers|cookies}, by kind
 * @param mocks the mocks in effect, by {@link MockKey} (an {@code it} mock replaces a describe one)
 * @param checks the assertions, in order
 */
record Spec(String describe, String name, String file, int line, @Nullable URI source, JsonNode variables, Action action,
		Map<String, TestJq> inputs, Map<String, Mock> mocks, List<Check> checks) {

	/** {@code describe › it}: the test's name in reports. */
	String displayName() {
		return this.describe + " › " + this.name;
	}

	/** {@code file:line} of the {@code it}. */
	String location() {
		return this.file + ":" + this.line;
	}

	/** What a test executes (its {@code when} clause). */
	sealed interface Action {

		/** {@code when calling METHOD /path?query}, the target rendered. */
		record Calling(String method, String target) implements Action {
		}

		/** {@code when executing pipeline NAME}. */
		record RunPipeline(String name) implements Action {
		}

		/** {@code when executing variable TYPE NAME}: one step {@code |> TYPE: NAME}, compiled. */
		record RunVariable(String label, CompiledPipeline pipeline) implements Action {
		}

	}

	/**
	 * A mock: its target as written ({@code pg.orderById}, {@code pipeline loadUser}) and its
	 * {@code returning} program, evaluated once per test.
	 */
	record Mock(String label, TestJq returning) {
	}

	/** Keys of {@link Spec#mocks()}; the {@link Mocks} interceptor looks them up. */
	static final class MockKey {

		private MockKey() {
		}

		static String middleware(String middleware) {
			return "mw:" + middleware;
		}

		static String named(String middleware, String name) {
			return "mw:" + middleware + "." + name;
		}

		static String pipeline(String name) {
			return "pipeline:" + name;
		}

		static String graphql(String operation, String field) {
			return operation + ":" + field;
		}

	}

}
