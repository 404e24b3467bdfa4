package dev.webpipe.middleware;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

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

	/**
	 * The names of the request's query parameters this step reads, found in its configuration at
	 * compile time, best effort (a {@code jq} step's {@code .query.<name>}), so that an API
	 * description can list them (docs/openapi.md#what-is-inferred); empty when unknown.
	 */
	default Set<String> queryParameters() {
		return Set.of();
	}

	/**
	 * {@code step}, declaring that it reads the query parameters {@code names}
	 * ({@link #queryParameters()}); the step's other declarations are kept.
	 */
	static ExecutableStep readingQuery(Set<String> names, ExecutableStep step) {
		if (names.isEmpty()) {
			return step;
		}
		Set<String> declared = Collections.unmodifiableSet(new LinkedHashSet<>(names));
		return new ExecutableStep() {

			@Override
			public Mono<StepResult> execute(StepInput input) {
				return step.execute(input);
			}

			@Override
			public @Nullable JsonNode requestBodySchema() {
				return step.requestBodySchema();
			}

			@Override
			public Set<String> queryParameters() {
				return declared;
			}

		};
	}

}
