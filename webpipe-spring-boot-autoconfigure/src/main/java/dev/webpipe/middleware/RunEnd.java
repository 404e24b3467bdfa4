package dev.webpipe.middleware;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A callback for when the pipeline run containing a step ends (the route, a named pipeline, a
 * branch body): it receives the run's final state, status and content type, and the run's result
 * waits for the returned {@code Mono}, so work done here (a {@code cache} entry written to its
 * store) is finished before the response is sent. Registered with {@link StepResult#whenRunEnds(RunEnd)}.
 * A failing callback is logged and does not change the run's result. It is not called when the run
 * fails fatally or the client goes away first.
 */
@FunctionalInterface
public interface RunEnd {

	/**
	 * @param state the run's final state
	 * @param status the run's status, or {@code null} for none (200)
	 * @param contentType the run's content type, or {@code null} for the JSON default
	 * @return completes when the callback's work is done
	 */
	Mono<Void> ended(JsonNode state, @Nullable Integer status, @Nullable String contentType);

}
