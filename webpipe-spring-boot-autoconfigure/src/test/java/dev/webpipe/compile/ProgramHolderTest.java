package dev.webpipe.compile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.webpipe.language.LoadException;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The program holder (docs/architecture.md#the-program-holder): an atomic swap, listeners before and after it,
 * and a replaced program's resources closed once its requests have drained (docs/reload.md#what-a-reload-replaces).
 */
class ProgramHolderTest {

	private static final Duration AT_MOST = Duration.ofSeconds(10);

	private final Owning owning = new Owning();

	private CompiledProgram compile(String text) {
		return Programs.compile("app.wp", text, List.of(this.owning));
	}

	private static ProgramHolder.ReloadOutcome loaded(CompiledProgram program) {
		return ProgramHolder.ReloadOutcome.loaded(Instant.now(), 1, program);
	}

	@Test
	void listenersPrepareBeforeTheSwapAndAreToldAfterIt() {
		CompiledProgram first = compile("GET /a\n  |> jq: `{}`\n");
		ProgramHolder holder = new ProgramHolder(first);
		assertThat(holder.current().generation()).isEqualTo(1);
		assertThat(holder.lastReload()).isNull();
		List<String> told = new ArrayList<>();
		holder.addListener(new ProgramHolder.Listener() {

			@Override
			public void preparing(ProgramHolder.Loaded next) {
				told.add("preparing " + next.generation() + " while " + holder.current().generation() + " serves");
			}

			@Override
			public void replaced(ProgramHolder.Loaded previous, ProgramHolder.Loaded current) {
				told.add("replaced " + previous.generation() + " by " + current.generation() + ", serving "
						+ holder.current().generation());
			}

		});
		CompiledProgram second = compile("GET /b\n  |> jq: `{}`\n");
		ProgramHolder.ReloadOutcome outcome = loaded(second);
		holder.replace(second, outcome);
		assertThat(holder.program()).isSameAs(second);
		assertThat(holder.lastReload()).isSameAs(outcome);
		assertThat(told).containsExactly("preparing 2 while 1 serves", "replaced 1 by 2, serving 2");
	}

	@Test
	void aListenerThatCannotPrepareKeepsThePreviousProgramServing() {
		CompiledProgram first = compile("GET /a\n  |> jq: `{}`\n");
		ProgramHolder holder = new ProgramHolder(first);
		holder.addListener(new ProgramHolder.Listener() {

			@Override
			public void preparing(ProgramHolder.Loaded next) {
				throw new IllegalStateException("cannot index");
			}

			@Override
			public void replaced(ProgramHolder.Loaded previous, ProgramHolder.Loaded current) {
			}

		});
		CompiledProgram second = compile("GET /b\n  |> jq: `{}`\n");
		assertThatIllegalStateException().isThrownBy(() -> holder.replace(second, loaded(second)));
		assertThat(holder.program()).isSameAs(first);
	}

	@Test
	void aReplacedProgramIsClosedOnceItsRequestsHaveEnded() {
		CompiledProgram first = compile("GET /a\n  |> owning\n");
		ProgramHolder holder = new ProgramHolder(first);
		ProgramHolder.Loaded old = holder.current();
		assertThat(old.enter()).isTrue();
		assertThat(old.enter()).isTrue();
		CompiledProgram second = compile("GET /a\n  |> owning\n");
		holder.replace(second, loaded(second));
		old.exit();
		assertThat(this.owning.closed).hasValue(0);
		assertThat(old.inFlight()).isOne();
		old.exit();
		await().atMost(AT_MOST).until(() -> this.owning.closed.get() == 1);
		assertThat(old.enter()).as("a drained program takes no request").isFalse();
		assertThat(holder.current().enter()).isTrue();
		holder.close();
		assertThat(this.owning.closed).hasValue(2);
	}

	@Test
	void aRequestThatNeverEndsHoldsTheResourcesNoLongerThanTheDrainTimeout() {
		CompiledProgram first = compile("GET /a\n  |> owning\n");
		ProgramHolder holder = new ProgramHolder(first, Instant.now(), Duration.ofMillis(200));
		ProgramHolder.Loaded old = holder.current();
		assertThat(old.enter()).isTrue();
		CompiledProgram second = compile("GET /a\n  |> owning\n");
		holder.replace(second, loaded(second));
		await().atMost(AT_MOST).until(() -> this.owning.closed.get() == 1);
		assertThat(old.enter()).isFalse();
		old.exit();
	}

	@Test
	void aProgramThatDoesNotCompileClosesWhatItsStepsTook() {
		assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> compile("GET /a\n  |> owning\n  |> nosuch\n"));
		assertThat(this.owning.compiled).hasValue(1);
		assertThat(this.owning.closed).hasValue(1);
	}

	/** {@code owning}: a step that owns a resource, counted when it is closed. */
	private static final class Owning implements Middleware {

		final AtomicInteger compiled = new AtomicInteger();

		final AtomicInteger closed = new AtomicInteger();

		@Override
		public String name() {
			return "owning";
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) {
			this.compiled.incrementAndGet();
			return new Step(this.closed);
		}

		private record Step(AtomicInteger closed) implements ExecutableStep, AutoCloseable {

			@Override
			public Mono<StepResult> execute(StepInput input) {
				return Mono.just(StepResult.of(input.state()));
			}

			@Override
			public void close() {
				this.closed.incrementAndGet();
			}

		}

	}

}
