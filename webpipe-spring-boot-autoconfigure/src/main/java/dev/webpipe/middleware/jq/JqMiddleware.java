package dev.webpipe.middleware.jq;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.webpipe.middleware.ErrorContract;
import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.runtime.jq.JqCompileException;
import dev.webpipe.runtime.jq.JqLimits;
import dev.webpipe.runtime.jq.JqProgram;

/**
 * {@code |> jq: `program`}: the program's first output replaces the state (middleware.md, jq).
 * Programs are compiled once at load time; {@code $context} and {@code $ENV} are bound.
 * <p>
 * Each evaluation runs within {@link JqLimits}. A program that can be expensive ({@link JqProgram#isExpensive()})
 * runs on a worker of a bounded scheduler and stops at its next checkpoint when the request or its task goes away;
 * the others run at once on the calling thread, the event loop (docs/middleware/jq.md#budgets).
 */
public final class JqMiddleware implements Middleware {

	private final JqLimits limits;

	private final Scheduler scheduler;

	/** The default budget, {@link Schedulers#boundedElastic()} for expensive programs. */
	public JqMiddleware() {
		this(JqLimits.DEFAULT, Schedulers.boundedElastic());
	}

	/**
	 * @param limits the budget of each evaluation
	 * @param scheduler a bounded scheduler for the programs that can be expensive
	 */
	public JqMiddleware(JqLimits limits, Scheduler scheduler) {
		this.limits = Objects.requireNonNull(limits, "limits");
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
	}

	@Override
	public String name() {
		return "jq";
	}

	@Override
	public List<ErrorContract> errors() {
		return List.of(new ErrorContract("jqError", 500));
	}

	@Override
	public Behavior behavior() {
		return Behavior.TRANSFORM;
	}

	@Override
	public boolean requiresConfig() {
		return true;
	}

	@Override
	public ExecutableStep compile(StepDefinition definition) throws InvalidStepException {
		JqProgram program;
		try {
			program = JqProgram.compile(definition.config());
		}
		catch (JqCompileException ex) {
			throw new InvalidStepException("jq compile error: " + ex.detail(), ex.offset().orElse(-1));
		}
		JqLimits limits = this.limits;
		if (!program.isExpensive()) {
			return ExecutableStep.readingQuery(program.queryParameters(), (input) -> Mono
				.just(StepResult.of(program.apply(input.state(), context(program, input), limits, null))));
		}
		Scheduler scheduler = this.scheduler;
		return ExecutableStep.readingQuery(program.queryParameters(), (input) -> Mono.defer(() -> {
			AtomicBoolean cancelled = new AtomicBoolean();
			return Mono
				.fromCallable(() -> StepResult
					.of(program.apply(input.state(), context(program, input), limits, cancelled)))
				.subscribeOn(scheduler)
				.doOnCancel(() -> cancelled.set(true));
		}));
	}

	/** {@code $context} for a program that reads it; none for the others (docs/performance.md#third-profile). */
	private static @Nullable JsonNode context(JqProgram program, StepInput input) {
		return program.readsContext() ? input.context().contextJson() : null;
	}

}
