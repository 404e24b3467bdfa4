package dev.webpipe.runtime;

import com.fasterxml.jackson.databind.JsonNode;

import dev.webpipe.middleware.StepResult;

/**
 * Observes, and may replace, what a request executes: middleware steps, named pipeline calls
 * and the root fields of GraphQL operations. This is how the {@code describe}/{@code it} test
 * runner applies mocks and records calls (docs/testing.md#mocks). A request has one only when its
 * {@link RequestContext#interceptor()} is set; serving applications have none, so the runtime
 * pays a null check.
 * <p>
 * Each method may be called concurrently from {@code @async} tasks of the same request.
 */
public interface StepInterceptor {

	/** Key under which a test puts an interceptor in the Reactor context of an in-process request. */
	Class<StepInterceptor> CONTEXT_KEY = StepInterceptor.class;

	/**
	 * Called before a middleware step runs (after its tags were found true).
	 * @param step the step
	 * @param task the {@code @async} task name when the step is the body of that task, else {@code null}
	 * @param state the state the step would receive
	 * @param context the request context
	 * @return the result to use instead of running the step (applied exactly like the step's own
	 * result), or {@code null} to run it
	 */
	default StepResult beforeStep(Stage.Step step, String task, JsonNode state, RequestContext context) {
		return null;
	}

	/**
	 * Called before a named pipeline is called (explicitly, by shorthand or as an {@code @async} task).
	 * @param pipeline the pipeline name
	 * @param input the input the pipeline receives (after merging an inline argument)
	 * @param context the request context
	 * @return the final state to use instead of running the pipeline, or {@code null} to run it
	 */
	default JsonNode beforePipeline(String pipeline, JsonNode input, RequestContext context) {
		return null;
	}

	/**
	 * Called by {@code graphql} steps for each root field of the operation they send.
	 * @param operation {@code query} or {@code mutation}
	 * @param field the field name (not its alias)
	 * @param arguments the field's arguments, variables substituted
	 * @return the field's value to use instead of asking the server, or {@code null} to ask it
	 */
	default JsonNode graphqlField(String operation, String field, JsonNode arguments) {
		return null;
	}

}
