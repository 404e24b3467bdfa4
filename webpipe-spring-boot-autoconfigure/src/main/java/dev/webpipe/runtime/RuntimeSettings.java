package dev.webpipe.runtime;

import java.time.Duration;

/**
 * Settings of the runtime.
 *
 * @param taskTimeout upper bound of every {@code @async} task
 * @param detachedTimeout upper bound of a task after it became detached
 * @param serverTiming whether step and task durations are recorded for {@code Server-Timing}
 * @param detachedTasks where detached tasks are tracked until they end (for graceful shutdown)
 */
public record RuntimeSettings(Duration taskTimeout, Duration detachedTimeout, boolean serverTiming,
		DetachedTasks detachedTasks) {

	public static RuntimeSettings defaults() {
		return new RuntimeSettings(Duration.ofSeconds(30), Duration.ofSeconds(30), false, new DetachedTasks());
	}

}
