package dev.webpipe.middleware;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A compiled step, thread-safe and shared by all requests. An expected failure is reported as
 * {@link StepResult#failure(java.util.List) a typed error}; an exception or error signal is
 * turned into a {@code <name>Error} by the runtime and never reaches the client as a stack trace.
 */
@FunctionalInterface
public interface ExecutableStep {

	Mono<StepResult> execute(StepInput input);

	/**
	 * The JSON Schema of the request body this step enforces (a step that validates the body
	 * declares it, so that an API description can show it), or {@code null}.
	 */
	default @Nullable JsonNode requestBodySchema() {
		return null;
	}

}
