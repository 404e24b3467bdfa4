package dev.webpipe.instrumentation;

import com.fasterxml.jackson.databind.JsonNode;
import reactor.util.context.ContextView;

/**
 * A run of a route, of the featureFlags pipeline, or of a pipeline or variable the test runner calls.
 *
 * @param route the route as written ({@code GET /users/:id}), or a label such as {@code pipeline loadUser}
 * @param request the initial state ({@code $context.request})
 * @param reactorContext the Reactor context of the run's subscriber: where a caller may put keys that say
 * whether an instrumentation takes part (the test runner does)
 * @param requestStartNanos when the request began, on the {@link System#nanoTime()} clock
 * @param featureFlags whether this is the run of the featureFlags pipeline that precedes a route's run
 */
public record RunParameters(String route, JsonNode request, ContextView reactorContext, long requestStartNanos,
		boolean featureFlags) {
}
