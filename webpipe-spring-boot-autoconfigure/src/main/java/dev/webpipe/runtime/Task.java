package dev.webpipe.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import dev.webpipe.middleware.Errors;
import dev.webpipe.language.SourceLocation;

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

	private volatile Disposable work;

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
			this.outcome.tryEmitValue(result);
		}
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
