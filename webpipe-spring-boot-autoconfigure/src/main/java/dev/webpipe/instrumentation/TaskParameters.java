package dev.webpipe.instrumentation;

import dev.webpipe.language.SourceLocation;

/**
 * An {@code @async} task about to start.
 *
 * @param route the route as written
 * @param task the task name
 * @param location the {@code file:line} of the task's step
 * @param joinable whether a join of the route may wait for it (else it is detached from the start)
 * @param requestStartNanos when the request began, on the {@link System#nanoTime()} clock
 */
public record TaskParameters(String route, String task, SourceLocation location, boolean joinable,
		long requestStartNanos) {
}
