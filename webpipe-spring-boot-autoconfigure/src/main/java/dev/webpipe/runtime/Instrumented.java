package dev.webpipe.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.webpipe.instrumentation.InstrumentationContext;
import dev.webpipe.instrumentation.Outcome;
import dev.webpipe.middleware.Errors;

/**
 * How the executor tells instrumentation contexts the end of runs and steps (docs/architecture.md#instrumentation):
 * once, with the typed error's type, {@code cancelled} when the subscriber went away first, or {@code fatalError}.
 */
final class Instrumented {

	private Instrumented() {
	}

	/** A context that passes on the first end it is told and ignores the others. */
	static InstrumentationContext once(InstrumentationContext context) {
		AtomicBoolean told = new AtomicBoolean();
		return (outcome) -> {
			if (told.compareAndSet(false, true)) {
				context.onEnd(outcome);
			}
		};
	}

	/** A root run that tells {@code context} its end. */
	static Mono<RunResult> run(Mono<RunResult> run, InstrumentationContext context) {
		InstrumentationContext told = once(context);
		long start = System.nanoTime();
		return run
			.doOnNext((result) -> told.onEnd(new Outcome(Errors.hasTypedError(result.state())
					? Errors.firstType(result.state()) : null, start, System.nanoTime(), false)))
			.doOnError((ex) -> told.onEnd(new Outcome("fatalError", start, System.nanoTime(), false)))
			.doOnCancel(() -> told.onEnd(new Outcome("cancelled", start, System.nanoTime(), false)));
	}

	/** An asynchronous step whose subscriber may go away before it ends. */
	static Mono<RunResult> step(Mono<RunResult> step, InstrumentationContext told, long start) {
		return step.doOnCancel(() -> told.onEnd(new Outcome("cancelled", start, System.nanoTime(), false)));
	}

	/**
	 * Tells {@code told} the end of a step that turned {@code before} into {@code result}: an error is the step's
	 * when the state's error list changed and ends with a typed error.
	 */
	static RunResult ended(InstrumentationContext told, long start, JsonNode before, RunResult result) {
		told.onEnd(new Outcome(addedErrorType(before, result.state()), start, System.nanoTime(), false));
		return result;
	}

	private static @Nullable String addedErrorType(JsonNode before, JsonNode after) {
		JsonNode errors = after.get("errors");
		if (errors == null || !errors.isArray() || errors.isEmpty() || errors == before.get("errors")
				|| !Errors.hasTypedError(after)) {
			return null;
		}
		JsonNode last = errors.get(errors.size() - 1).get("type");
		return (last != null && last.isTextual()) ? last.textValue() : Errors.firstType(after);
	}

}
