package dev.webpipe.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.SourceFile;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import dev.webpipe.middleware.Json;

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

	/**
	 * Only a run that needs nothing from the subscriber's Reactor context may start before it is subscribed
	 * (docs/performance.md#third-profile): one that starts a task, wherever the task is, must not.
	 */
	@Test
	void onlyRunsWithoutTasksOrInstrumentationStartAtOnce() {
		CompiledProgram program = Compiler.load(List.of(new SourceFile("routes/now.wp", """
				pipeline plain =
				  |> jq: `{ plain: true }`

				pipeline withTask =
				  |> jq: `{ a: 1 }` @async(t)

				pipeline calling =
				  |> pipeline: withTask

				GET /plain
				  |> pipeline: plain
				  |> jq: `{ done: true }`
				  |> result
				    ok(200):
				      |> jq: `.`

				GET /direct
				  |> jq: `{ a: 1 }` @async(t)

				GET /called
				  |> pipeline: calling

				GET /in-result
				  |> jq: `{ a: 1 }`
				  |> result
				    ok(200):
				      |> jq: `{ b: 2 }` @async(t)

				GET /in-if
				  |> if
				    |> jq: `true`
				    then:
				      |> pipeline: withTask
				    end
				""")), Programs.registry(), Compiler.CompilerOptions.defaults());
		PipelineExecutor executor = program.executor();
		assertThat(program.routes()).allSatisfy((route) -> assertThat(
				executor.runsWithoutReactorContext(route.pipeline()))
			.as(route.label())
			.isEqualTo(route.label().equals("GET /plain")));
		PipelineExecutor instrumented = new PipelineExecutor(Map.of(), null,
				RuntimeSettings.defaults().withInstrumentation(new dev.webpipe.instrumentation.WebPipeInstrumentation() {
				}));
		assertThat(instrumented.runsWithoutReactorContext(program.routes().get(0).pipeline())).isFalse();
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

	@Test
	void aStepSeesItsTaskCancelledWhenTheTaskTimesOut() {
		AtomicBoolean sawCancellation = new AtomicBoolean();
		AtomicBoolean cancelledAtStart = new AtomicBoolean(true);
		Middleware waitForCancel = new Middleware() {
			@Override
			public String name() {
				return "waitForCancel";
			}

			@Override
			public ExecutableStep compile(StepDefinition definition) {
				return (input) -> {
					cancelledAtStart.set(input.context().isCancelled());
					return input.context().cancellation()
						.doOnSuccess((done) -> sawCancellation.set(input.context().isCancelled()))
						.then(Mono.never());
				};
			}
		};
		RuntimeSettings settings = new RuntimeSettings(Duration.ofMillis(200), Duration.ofSeconds(30), false,
				new DetachedTasks());
		CompiledProgram program = Compiler.load(List.of(new SourceFile("routes/cancel.wp", """
				GET /cancel
				  |> waitForCancel @async(t)
				  |> join: t
				""")), Programs.registry(List.of(waitForCancel)),
				new Compiler.CompilerOptions((key) -> null, Map.of(), settings));
		RunResult result = run(program, "GET /cancel").block(Duration.ofSeconds(5));
		assertThat(Json.write(result.state())).contains("timeoutError");
		assertThat(cancelledAtStart).isFalse();
		await().atMost(Duration.ofSeconds(3)).untilTrue(sawCancellation);
	}

	@Test
	void aStepSeesTheRequestCancelledWhenTheSubscriberGoesAway() {
		AtomicBoolean sawCancellation = new AtomicBoolean();
		Middleware waitForCancel = new Middleware() {
			@Override
			public String name() {
				return "waitForCancel";
			}

			@Override
			public ExecutableStep compile(StepDefinition definition) {
				return (input) -> input.context().cancellation()
					.doOnSuccess((done) -> sawCancellation.set(true))
					.then(Mono.never());
			}
		};
		CompiledProgram program = Compiler.load(List.of(new SourceFile("routes/cancel.wp", """
				GET /cancel
				  |> waitForCancel
				""")), Programs.registry(List.of(waitForCancel)), Compiler.CompilerOptions.defaults());
		run(program, "GET /cancel").subscribe().dispose();
		assertThat(sawCancellation).isTrue();
	}

	private static CompiledProgram compile(RuntimeSettings settings) {
		return Compiler.load(List.of(new SourceFile("routes/tasks.wp", ROUTES)), Programs.registry(),
				new Compiler.CompilerOptions((key) -> null, Map.of(), settings));
	}

	private static reactor.core.publisher.Mono<RunResult> run(CompiledProgram program, String label) {
		ObjectNode request = Json.NODES.objectNode();
		var route = program.routes().stream().filter((r) -> r.label().equals(label)).findFirst().orElseThrow();
		RequestContext context = RequestContext.create(request, label, null, Set.of());
		return program.executor().execute(route.pipeline(), request, context);
	}

}
