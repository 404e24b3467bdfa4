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
import reactor.util.context.Context;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.SourceFile;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Lifetimes of {@code @async} tasks (concurrency.md §7) and the context they carry. */
@ExtendWith(OutputCaptureExtension.class)
class TaskLifecycleTest {

	private static final String ROUTES = """
			GET /context
			  |> reactorContext: `trace.id` @async(t)
			  |> join: t
			  |> jq: `{ inTask: .async.t.reactorContext }`

			GET /detached
			  |> delay: 2000 @async(slow)
			  |> jq: `{ answered: true }`
			""";

	@Test
	void theSubscribersReactorContextTravelsIntoTasks() {
		CompiledProgram program = compile(RuntimeSettings.defaults());
		RunResult result = run(program, "GET /context")
			.contextWrite(Context.of("trace.id", "abc123"))
			.block(Duration.ofSeconds(5));
		assertThat(Json.write(result.state())).isEqualTo("{\"inTask\":\"abc123\"}");
	}

	@Test
	void aDetachedTaskIsBoundedByTheDetachedTimeoutAndLogged(CapturedOutput output) {
		RuntimeSettings settings = new RuntimeSettings(Duration.ofSeconds(30), Duration.ofMillis(200), false,
				new DetachedTasks());
		CompiledProgram program = compile(settings);
		RunResult result = run(program, "GET /detached").block(Duration.ofSeconds(5));
		assertThat(Json.write(result.state())).isEqualTo("{\"answered\":true}");
		assertThat(settings.detachedTasks().running()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
			assertThat(output).contains("webpipe: detached task 'slow' of GET /detached (routes/tasks.wp:7) "
					+ "timed out after 200ms");
			assertThat(settings.detachedTasks().running()).isZero();
		});
	}

	@Test
	void shutdownWaitsForDetachedTasksThenCancelsThem() {
		RuntimeSettings settings = new RuntimeSettings(Duration.ofSeconds(30), Duration.ofSeconds(30), false,
				new DetachedTasks());
		CompiledProgram program = compile(settings);
		run(program, "GET /detached").block(Duration.ofSeconds(5));
		assertThat(settings.detachedTasks().running()).isEqualTo(1);
		long start = System.nanoTime();
		settings.detachedTasks().shutdown(Duration.ofMillis(100));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		assertThat(settings.detachedTasks().running()).isZero();
	}

	private static CompiledProgram compile(RuntimeSettings settings) {
		return Compiler.load(List.of(new SourceFile("routes/tasks.wp", ROUTES)), Programs.registry(),
				new Compiler.CompilerOptions((key) -> null, Map.of(), settings));
	}

	private static reactor.core.publisher.Mono<RunResult> run(CompiledProgram program, String label) {
		ObjectNode request = Json.MAPPER.createObjectNode();
		var route = program.routes().stream().filter((r) -> r.label().equals(label)).findFirst().orElseThrow();
		RequestContext context = RequestContext.create(request, label, null, Set.of());
		return program.executor().execute(route.pipeline(), request, context);
	}

}
