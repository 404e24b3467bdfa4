package dev.webpipe.instrumentation;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.language.SourceLocation;
import dev.webpipe.middleware.StepContext;

/**
 * A middleware step about to run (its tags held).
 *
 * @param route the route as written
 * @param middleware the middleware name ({@code pg}, {@code jq}, …)
 * @param location the step's {@code file:line}
 * @param task the {@code @async} task this step is the body of, or {@code null}
 * @param state the state the step receives
 * @param resultName the step's {@code @result} name, or {@code null}
 * @param variable the name of the variable the step uses as its config, or {@code null}
 * @param context the request's step context
 * @param requestStartNanos when the request began, on the {@link System#nanoTime()} clock
 */
public record StepParameters(String route, String middleware, SourceLocation location, @Nullable String task,
		JsonNode state, @Nullable String resultName, @Nullable String variable, StepContext context,
		long requestStartNanos) {
}
