package dev.webpipe.runtime;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import dev.webpipe.middleware.Errors;
import dev.webpipe.language.SourceLocation;
import dev.webpipe.instrumentation.InstrumentationContext;
import dev.webpipe.instrumentation.Outcome;

/**
 * A running {@code @async} task: started eagerly, its outcome delivered once through a sink
 * that any number of joins (or the detached-task watcher) can wait on. Disposing it cancels
 * the in-flight work.
 */
final class Task {

	private final String name;

	private final SourceLocation location;

	private final boolean joinable;

	private final long startNanos = System.nanoTime();

	private final Sinks.One<TaskOutcome> outcome = Sinks.one();

	private final AtomicBoolean finished = new AtomicBoolean();

	private volatile @Nullable Disposable work;

	/** Told the end once the task ended and its fate is known; {@code null} when nothing instruments the task. */
	private @Nullable InstrumentationContext instrumentation;

	private @Nullable TaskOutcome ended;

	private long endNanos;

	private @Nullable Boolean detached;

	Task(String name, SourceLocation location, boolean joinable) {
		this.name = name;
		this.location = location;
		this.joinable = joinable;
	}

	String name() {
		return this.name;
	}

	SourceLocation location() {
		return this.location;
	}

	/** Whether a join of the route may wait for this task (else it is detached by construction). */
	boolean joinable() {
		return this.joinable;
	}

	/** Subscribes to the work now, so it runs while the pipeline goes on. */
	void start(Mono<TaskOutcome> work) {
		this.work = work.subscribe(this::finish, (ex) -> finish(new TaskOutcome(null,
				java.util.List.of(Errors.error("pipelineError", Errors.plainMessage(ex))), elapsed())));
	}

	void finish(TaskOutcome result) {
		if (this.finished.compareAndSet(false, true)) {
			if (this.instrumentation != null) {
				ended(result);
			}
			this.outcome.tryEmitValue(result);
		}
	}

	/** Sets the context told the end of this task (docs/architecture.md#instrumentation); before {@link #start}. */
	void instrument(InstrumentationContext context) {
		this.instrumentation = context;
	}

	/** Its fate: a join took its outcome ({@code false}) or it became detached or was cancelled ({@code true}). */
	void settle(boolean detached) {
		if (this.instrumentation == null) {
			return;
		}
		Outcome told;
		synchronized (this) {
			if (this.detached != null) {
				return;
			}
			this.detached = detached;
			told = toldIfComplete();
		}
		if (told != null) {
			Objects.requireNonNull(this.instrumentation).onEnd(told);
		}
	}

	private void ended(TaskOutcome result) {
		Outcome told;
		synchronized (this) {
			this.ended = result;
			this.endNanos = System.nanoTime();
			told = toldIfComplete();
		}
		if (told != null) {
			Objects.requireNonNull(this.instrumentation).onEnd(told);
		}
	}

	private @Nullable Outcome toldIfComplete() {
		if (this.ended == null || this.detached == null) {
			return null;
		}
		String type = this.ended.failed() ? this.ended.firstType() : null;
		return new Outcome(type, this.startNanos, this.endNanos, this.detached);
	}

	long startNanos() {
		return this.startNanos;
	}

	/** Whether the task has ended (with an outcome or cancelled). */
	boolean isFinished() {
		return this.finished.get();
	}

	/** The outcome, when the task ends. Never an error signal. */
	Mono<TaskOutcome> outcome() {
		return this.outcome.asMono();
	}

	/** Cancels the in-flight work; waiting joins see {@code outcomeIfCancelled}. */
	void cancel(TaskOutcome outcomeIfCancelled) {
		Disposable current = this.work;
		if (current != null) {
			current.dispose();
		}
		finish(outcomeIfCancelled);
	}

	long elapsed() {
		return System.nanoTime() - this.startNanos;
	}

}
