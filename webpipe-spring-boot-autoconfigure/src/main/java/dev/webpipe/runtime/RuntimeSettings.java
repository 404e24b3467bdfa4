package dev.webpipe.runtime;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.webpipe.instrumentation.WebPipeInstrumentation;

/**
 * Settings of the runtime.
 *
 * @param taskTimeout upper bound of every {@code @async} task
 * @param detachedTimeout upper bound of a task after it became detached
 * @param serverTiming whether responses carry a {@code Server-Timing} header (written by the WebFlux adapter
 * from its instrumentation, docs/architecture.md#instrumentation)
 * @param detachedTasks where detached tasks are tracked until they end (for graceful shutdown)
 * @param featureFlagsTimeout upper bound of the featureFlags pipeline run before each route
 * @param foreachMaxItems the longest array a {@code foreach} runs over ({@code webpipe.foreach.max-items})
 * @param instrumentation what sees the runs, steps and tasks (docs/extending.md#instrumentation), or
 * {@code null}: then the runtime calls nothing
 */
public record RuntimeSettings(Duration taskTimeout, Duration detachedTimeout, boolean serverTiming,
		DetachedTasks detachedTasks, Duration featureFlagsTimeout, int foreachMaxItems,
		@Nullable WebPipeInstrumentation instrumentation) {

	/** The default bound of the featureFlags pipeline ({@code webpipe.feature-flags.timeout}). */
	static final Duration DEFAULT_FEATURE_FLAGS_TIMEOUT = Duration.ofMillis(250);

	/** The default of {@code webpipe.foreach.max-items}. */
	static final int DEFAULT_FOREACH_MAX_ITEMS = 1000;

	public RuntimeSettings(Duration taskTimeout, Duration detachedTimeout, boolean serverTiming,
			DetachedTasks detachedTasks, Duration featureFlagsTimeout, int foreachMaxItems) {
		this(taskTimeout, detachedTimeout, serverTiming, detachedTasks, featureFlagsTimeout, foreachMaxItems, null);
	}

	public RuntimeSettings(Duration taskTimeout, Duration detachedTimeout, boolean serverTiming,
			DetachedTasks detachedTasks, Duration featureFlagsTimeout) {
		this(taskTimeout, detachedTimeout, serverTiming, detachedTasks, featureFlagsTimeout,
				DEFAULT_FOREACH_MAX_ITEMS);
	}

	public RuntimeSettings(Duration taskTimeout, Duration detachedTimeout, boolean serverTiming,
			DetachedTasks detachedTasks) {
		this(taskTimeout, detachedTimeout, serverTiming, detachedTasks, DEFAULT_FEATURE_FLAGS_TIMEOUT);
	}

	public static RuntimeSettings defaults() {
		return new RuntimeSettings(Duration.ofSeconds(30), Duration.ofSeconds(30), false, new DetachedTasks());
	}

	/** These settings with another bound for the featureFlags pipeline. */
	RuntimeSettings withFeatureFlagsTimeout(Duration timeout) {
		return new RuntimeSettings(this.taskTimeout, this.detachedTimeout, this.serverTiming, this.detachedTasks,
				timeout, this.foreachMaxItems, this.instrumentation);
	}

	/** These settings with another instrumentation ({@code null} for none). */
	public RuntimeSettings withInstrumentation(@Nullable WebPipeInstrumentation instrumentation) {
		return new RuntimeSettings(this.taskTimeout, this.detachedTimeout, this.serverTiming, this.detachedTasks,
				this.featureFlagsTimeout, this.foreachMaxItems, instrumentation);
	}

}
