package dev.webpipe.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.SourceFile;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;
import dev.webpipe.middleware.Json;

/**
 * {@link PipelineExecutor#begin}: the featureFlags pipeline before a request (runtime.md §8).
 * Its effect on routes is covered by the {@code runtime/featureflags*.wp} fixtures; these tests
 * check the warnings and the contexts it hands out.
 */
@ExtendWith(OutputCaptureExtension.class)
class FeatureFlagsTest {

	private static final String ROUTE = "GET /x\n  |> jq: `.`\n";

	@Test
	void withoutAPipelineTheRequestIsTheInitialStateAsIs() {
		ObjectNode request = request();
		RequestContext context = begin(compile(ROUTE, RuntimeSettings.defaults()), request);
		assertThat(context.request()).isSameAs(request);
		assertThat(context.flags()).isEmpty();
	}

	@Test
	void theInitialStateIsNotChangedWhenAUserIsAppended() {
		ObjectNode request = request();
		RequestContext context = begin(compile("featureFlags =\n  |> jq: `{ user: 1 }`\n" + ROUTE,
				RuntimeSettings.defaults()), request);
		assertThat(Json.write(context.request())).isEqualTo("{\"method\":\"GET\",\"user\":1}");
		assertThat(Json.write(request)).isEqualTo("{\"method\":\"GET\"}");
	}

	@Test
	void aTypedErrorIsLoggedAtWarnAndIgnored(CapturedOutput output) {
		RequestContext context = begin(compile("featureFlags =\n  |> jq: `{ flags: { a: true } }`\n"
				+ "  |> fail: flagsDown\n" + ROUTE, RuntimeSettings.defaults()), request());
		assertThat(context.flags()).containsEntry("a", true);
		assertThat(context.unhandledError()).isFalse();
		assertThat(output).contains("WARN").contains("webpipe: the featureFlags pipeline ended with a typed error "
				+ "for GET /x, ignored: [{\"type\":\"flagsDown\",\"message\":\"flagsDown from the test middleware\"}]");
	}

	@Test
	void aFatalErrorIsLoggedAtWarnAndGivesNoFlags(CapturedOutput output) {
		RequestContext context = begin(compile("featureFlags =\n  |> jq: `{ flags: { a: true } }`\n  |> loop\n"
				+ "pipeline loop =\n  |> loop\n" + ROUTE, RuntimeSettings.defaults()), request());
		assertThat(context.flags()).isEmpty();
		assertThat(output).contains("webpipe: the featureFlags pipeline failed for GET /x; the route runs without "
				+ "flags: pipeline calls nested deeper than 64");
	}

	@Test
	void theTimeoutIsLoggedAtWarnAndGivesNoFlags(CapturedOutput output) {
		RuntimeSettings settings = RuntimeSettings.defaults().withFeatureFlagsTimeout(Duration.ofMillis(50));
		CompiledProgram program = compile("featureFlags =\n  |> jq: `{ flags: { a: true } }`\n"
				+ "  |> delay: 20000\n" + ROUTE, settings);
		long start = System.nanoTime();
		RequestContext context = begin(program, request());
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(context.flags()).isEmpty();
		assertThat(output).contains("webpipe: the featureFlags pipeline did not finish within 50ms for GET /x; "
				+ "the route runs without flags");
	}

	private static ObjectNode request() {
		ObjectNode request = Json.NODES.objectNode();
		request.put("method", "GET");
		return request;
	}

	private static CompiledProgram compile(String text, RuntimeSettings settings) {
		return Compiler.load(List.of(new SourceFile("routes/flags.wp", text)), Programs.registry(),
				new Compiler.CompilerOptions((key) -> null, Map.of(), settings));
	}

	private static RequestContext begin(CompiledProgram program, ObjectNode request) {
		return program.executor().begin(request, "GET /x", null, Set.of()).block(Duration.ofSeconds(5));
	}

}
