package dev.webpipe.runtime;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Flux;
import dev.webpipe.middleware.Errors;

/**
 * The tasks that outlived their request's response (concurrency.md §7.3), tracked so that a
 * graceful shutdown can give them time to end before cancelling them.
 */
public final class DetachedTasks {

	private final Set<Task> tasks = ConcurrentHashMap.newKeySet();

	void add(Task task) {
		this.tasks.add(task);
		task.outcome().subscribe((outcome) -> this.tasks.remove(task));
	}

	/** How many detached tasks are still running. */
	public int running() {
		return this.tasks.size();
	}

	/**
	 * Waits up to {@code timeout} for the running detached tasks to end, without cancelling any
	 * (the test runner's way to keep one test's tasks out of the next).
	 * @return whether none is running any more
	 */
	public boolean await(Duration timeout) {
		Set<Task> running = Set.copyOf(this.tasks);
		if (!running.isEmpty()) {
			try {
				Flux.fromIterable(running).flatMap(Task::outcome).then().block(timeout);
			}
			catch (RuntimeException ex) {
				// the timeout passed
			}
		}
		return this.tasks.isEmpty();
	}

	/** Waits up to {@code timeout} for the running detached tasks, then cancels the rest. */
	public void shutdown(Duration timeout) {
		Set<Task> running = Set.copyOf(this.tasks);
		if (running.isEmpty()) {
			return;
		}
		try {
			Flux.fromIterable(running).flatMap(Task::outcome).then().block(timeout);
		}
		catch (RuntimeException ex) {
			// the timeout passed: cancel what is left below
		}
		for (Task task : running) {
			task.cancel(new TaskOutcome(null, java.util.List.of(Errors.error("timeoutError",
					"task '" + task.name() + "' was cancelled at shutdown")), task.elapsed()));
		}
	}

}
