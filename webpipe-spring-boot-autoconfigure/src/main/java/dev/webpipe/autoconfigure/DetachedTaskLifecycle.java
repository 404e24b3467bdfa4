package dev.webpipe.autoconfigure;

import java.time.Duration;

import org.springframework.context.SmartLifecycle;

import dev.webpipe.runtime.DetachedTasks;

/**
 * Gives detached {@code @async} tasks up to {@code webpipe.async.detached-timeout} to end when
 * the application shuts down gracefully, then cancels them (docs/concurrency.md#tasks-that-are-never-joined). Stops after
 * the web server, so no new request starts tasks meanwhile.
 */
public final class DetachedTaskLifecycle implements SmartLifecycle {

	private final DetachedTasks tasks;

	private final Duration timeout;

	private volatile boolean running;

	DetachedTaskLifecycle(DetachedTasks tasks, Duration timeout) {
		this.tasks = tasks;
		this.timeout = timeout;
	}

	public DetachedTasks tasks() {
		return this.tasks;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.tasks.shutdown(this.timeout);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// below the web server's graceful shutdown phase, so this stops after it
		return SmartLifecycle.DEFAULT_PHASE - 2048;
	}

}
