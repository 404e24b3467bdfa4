package dev.webpipe.runtime.jq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Checkpoints of jq evaluations: time, values, cancellation; the classification of programs. */
class JqBudgetTest {

	private static final JqLimits SMALL = new JqLimits(Duration.ofMillis(200), 10_000);

	private static JqRuntimeException failure(String program, String input, JqLimits limits,
			AtomicBoolean cancelled) throws Exception {
		JqProgram compiled = JqProgram.compile(program);
		long start = System.nanoTime();
		JqRuntimeException failure = org.junit.jupiter.api.Assertions.assertThrows(JqRuntimeException.class,
				() -> compiled.apply(Json.parse(input), null, limits, cancelled));
		// generous: five times the budget
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(limits.maxEvaluationTime().multipliedBy(5));
		return failure;
	}

	@ParameterizedTest
	@ValueSource(strings = { "[range(1e8)]", "reduce range(1e9) as $i (0; . + $i)", "last(range(1e9))",
			"[limit(1e9; range(1e9))] | length", "0 | until(false; . + 1)", "0 | [recurse(. + 1)] | length",
			"[range(0; 1e9; 1)] | length", "[.[] as $x | range(1e6)] | length", "def f: (. + 1) | f; 0 | f",
			"[foreach range(1e9) as $i (0; . + 1)] | length", "0 | [while(true; . + 1)] | length",
			"try ([range(1e9)] | length) catch \"caught\"", "[range(1e9)?] | length" })
	void generatorsStopAtTheirBudget(String program) throws Exception {
		JqRuntimeException failure = failure(program, "[1, 2]", SMALL, null);
		assertThat(failure.detail()).isIn("jq evaluation exceeded 10000 values", "jq evaluation exceeded 200ms",
				"recursion too deep");
	}

	@Test
	void theTimeIsCheckedAtCheckpointsToo() throws Exception {
		JqLimits limits = new JqLimits(Duration.ofMillis(200), Long.MAX_VALUE);
		assertThat(failure("reduce range(1e12) as $i (0; . + $i)", "null", limits, null).detail())
			.isEqualTo("jq evaluation exceeded 200ms");
	}

	@Test
	void aBacktrackingPatternStopsAtTheDeadline() throws Exception {
		String input = Json.write(Json.NODES.textNode("a".repeat(28) + "!"));
		for (String program : List.of("test(\"^(a+)+$\")", "[match(\"^(a+)+$\"; \"g\")]", "sub(\"^(a+)+$\"; \"x\")",
				"gsub(\"(a+)+$\"; \"x\")", "[scan(\"(a+)+$\")]", "capture(\"(?<x>(a+)+$)\")", "split(\"(a+)+$\"; null)")) {
			assertThat(failure(program, input, SMALL, null).detail()).as(program)
				.isEqualTo("jq evaluation exceeded 200ms");
		}
	}

	@Test
	void anEmptyGlobalReplacementNoLongerLoopsForever() throws Exception {
		assertThat(failure("gsub(\"\"; \"x\")", "\"abc\"", SMALL, null).detail()).startsWith("jq evaluation exceeded");
	}

	@Test
	void aCancelledEvaluationStopsAtItsNextCheckpoint() throws Exception {
		assertThat(failure("[range(1e9)] | length", "null", JqLimits.DEFAULT, new AtomicBoolean(true)).detail())
			.isEqualTo("jq evaluation cancelled");
	}

	@Test
	void theBudgetIsPerEvaluation() throws Exception {
		// 9,000 values five times against a count of 10,000: only a count that starts again at each
		// evaluation lets all five through (the time budget is wide, so a loaded machine cannot matter).
		JqLimits values = new JqLimits(Duration.ofSeconds(30), 10_000);
		JqProgram program = JqProgram.compile("[range(9000)] | length");
		for (int i = 0; i < 5; i++) {
			assertThat(program.apply(NullNode.getInstance(), null, values, null).intValue()).isEqualTo(9000);
		}
	}

	@Test
	void aRepetitionBeyondWhatAStringHoldsIsAJqError() throws Exception {
		assertThat(failure("\"ab\" * 1e12 | length", "null", JqLimits.DEFAULT, null).detail()).isNotBlank();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{ hello: .params.name }", ".data.rows[0]", "{ a: .a, b: [.b[] | .c] }",
			"map(select(.x > 1)) | length", ".a | tostring | ascii_downcase", "to_entries | map(.key)",
			"if .a then .b else .c end", "[.[] | .id] | sort | unique", ".a // \"x\" | ltrimstr(\"x\")",
			"{ (.k): .v } | keys", "del(.a) | has(\"b\")", "$__loc__", "\"\\(.a)-\\(.b)\"", "@base64", ".a |= . + 1" })
	void cheapProgramsStayCheap(String program) throws Exception {
		assertThat(JqProgram.compile(program).isExpensive()).as(program).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "[range(3)]", "test(\"a\")", "reduce .[] as $x (0; . + $x)", "add",
			"[foreach .[] as $x (0; . + $x)]", "def f: .; f", "[..]", ".a * 3", "[limit(2; .[])]", "[recurse]",
			"until(. > 3; . + 1)", "sub(\"a\"; \"b\")", "[splits(\",\")]", "walk(.)", "paths", "flatten",
			"[.[] | { a: (.b | test(\"x\")) }]", ".s *= 2", "indices(\"a\")" })
	void expensiveProgramsAreRecognised(String program) throws Exception {
		assertThat(JqProgram.compile(program).isExpensive()).as(program).isTrue();
	}

	@Test
	void theRegexFunctionsAnswerAsJacksonJqDoes() throws Exception {
		Scope plain = Scope.newEmptyScope();
		BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, plain);
		List<String> programs = List.of("test(\"B\")", "test(\"B\"; \"i\")", "test([\"b\", \"x\"])",
				"[match(\"(a)(?<n>b)?\"; \"g\")]", "[match(\"\"; \"g\")]", "[match(\"é(.)\")]",
				"capture(\"(?<x>[a-z]+)-(?<y>[0-9]+)\")", "[scan(\"[a-z]\")]", "[scan(\"([a-z])([0-9])\")]",
				"split(\", *\"; null)", "[splits(\"-\")]", "sub(\"(?<x>[a-z]+)\"; \"<\\(.x)>\")",
				"gsub(\"(?<x>[a-z])\"; \"\\(.x)\\(.x)\")", "gsub(\"a\"; \"b\"; \"i\")",
				"[sub(\"(?<x>a)\"; \"1\", \"2\")]", "[gsub(\"(?<x>[ab])\"; \"1\", \"2\")]", "sub(\"^\"; \">\")",
				"sub(\"z\"; \"y\")", "[match(\"(x)?b\"; \"g\")]", "ascii_downcase | test(\"ab\")",
				"try test(1) catch .", "try (1 | test(\"a\")) catch .");
		for (String input : List.of("\"aAb-12, ab-3,xé9 a1b2\"", "\"\"", "\"ab\"")) {
			for (String program : programs) {
				List<JsonNode> expected = new ArrayList<>();
				JsonQuery.compile(program, Versions.JQ_1_6).apply(Scope.newChildScope(plain), Json.parse(input),
						expected::add);
				JsonNode ours = JqProgram.compile("[" + program + "]").apply(Json.parse(input), null);
				assertThat(Json.write(ours)).as(program + " on " + input)
					.isEqualTo(Json.write(Json.normalize(Json.NODES.arrayNode().addAll(expected))));
			}
		}
	}

}
