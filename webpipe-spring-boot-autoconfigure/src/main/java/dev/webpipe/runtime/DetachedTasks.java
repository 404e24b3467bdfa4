package dev.webpipe.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import dev.webpipe.middleware.Errors;

/**
 * The tasks that outlived their request's response (docs/concurrency.md#tasks-that-are-never-joined),
 * tracked so that a graceful shutdown can give them time to end before cancelling them, and
 * bounded: beyond {@code webpipe.async.max-detached} in-flight detached tasks, a newly detached
 * task is cancelled at once, so fire-and-forget work can never hold every outbound connection or
 * database connection that joined work needs. Refusals are counted ({@link #refused()}) and
 * logged as a WARN at most once a minute.
 */
public final class DetachedTasks {

	private static final Logger logger = LoggerFactory.getLogger(DetachedTasks.class);

	/** The default of {@code webpipe.async.max-detached}. */
	static final int DEFAULT_MAX_DETACHED = 256;

	private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final Set<Task> tasks = ConcurrentHashMap.newKeySet();

	private final int maxDetached;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicLong refused = new AtomicLong();

	private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

	/** Detached tasks bounded by {@value #DEFAULT_MAX_DETACHED}. */
	public DetachedTasks() {
		this(DEFAULT_MAX_DETACHED);
	}

	/** @param maxDetached {@code webpipe.async.max-detached} */
	public DetachedTasks(int maxDetached) {
		if (maxDetached < 0) {
			throw new IllegalArgumentException("webpipe.async.max-detached must not be negative, got " + maxDetached);
		}
		this.maxDetached = maxDetached;
	}

	/**
	 * Tracks a task that became detached, or cancels it when {@code max-detached} tasks are in
	 * flight already.
	 * @param task the task
	 * @param route the route that started it, for the warning
	 * @return whether the task goes on running
	 */
	boolean add(Task task, String route) {
		if (task.isFinished()) {
			return true; // nothing in flight: only its outcome is logged
		}
		if (this.inFlight.incrementAndGet() > this.maxDetached) {
			this.inFlight.decrementAndGet();
			task.cancel(new TaskOutcome(null, List.of(Errors.error("timeoutError", "task '" + task.name()
					+ "' was cancelled: more than webpipe.async.max-detached detached tasks")), task.elapsed()));
			long count = this.refused.incrementAndGet();
			warnRefused(task, route, count);
			return false;
		}
		this.tasks.add(task);
		task.outcome().subscribe((outcome) -> {
			if (this.tasks.remove(task)) {
				this.inFlight.decrementAndGet();
			}
		});
		return true;
	}

	private void warnRefused(Task task, String route, long count) {
		long now = System.nanoTime();
		long last = this.lastWarning.get();
		if (now - last >= WARN_INTERVAL_NANOS && this.lastWarning.compareAndSet(last, now)) {
			logger.warn("webpipe: detached task '{}' of {} ({}) cancelled: {} detached tasks are running "
					+ "(webpipe.async.max-detached); {} cancelled so far", task.name(), route, task.location(),
					this.maxDetached, count);
		}
	}

	/** How many detached tasks were cancelled because {@code max-detached} were in flight. */
	public long refused() {
		return this.refused.get();
	}

	/** {@code webpipe.async.max-detached}. */
	public int maxDetached() {
		return this.maxDetached;
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
