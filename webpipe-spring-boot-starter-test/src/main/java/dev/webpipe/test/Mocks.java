package dev.webpipe.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.instrumentation.InstrumentationState;
import dev.webpipe.instrumentation.StepParameters;
import dev.webpipe.middleware.StepResult;

/**
 * The mocks of one test run and its call log (docs/testing.md#mocks): a mocked step does not execute
 * and its value is used as the step's result, a mocked pipeline's value is its final state, and
 * mocked GraphQL root fields are not sent. Pipeline calls and GraphQL root fields are logged,
 * mocked or not. Safe for the concurrent {@code @async} tasks of a request.
 * <p>
 * The runner puts a run's mocks in the Reactor context of its requests under {@link #CONTEXT_KEY}, a key that
 * only this artifact knows: {@link SpecInstrumentation} and {@link GraphqlFieldMocks} act on requests that carry
 * it and on no other.
 */
final class Mocks implements InstrumentationState {

	/** The Reactor context key of the runner's requests. */
	static final Object CONTEXT_KEY = new Object() {

		@Override
		public String toString() {
			return "webpipe.test.mocks";
		}

	};

	private final Map<String, JsonNode> values;

	private final ConcurrentLinkedQueue<LoggedCall> calls = new ConcurrentLinkedQueue<>();

	/** @param values the mock values by {@link Spec.MockKey} */
	Mocks(Map<String, JsonNode> values) {
		this.values = Map.copyOf(values);
	}

	/**
	 * A step of {@code <mw>} matches {@code <mw>.<name>} by its {@code @result} name, the state's
	 * {@code resultName}, its variable name, then its {@code @async} task name (the first that has
	 * a mock wins), else {@code <mw>}.
	 */
	@Nullable StepResult step(StepParameters step) {
		String middleware = step.middleware();
		JsonNode state = step.state();
		JsonNode stateName = (state != null && state.isObject()) ? state.get("resultName") : null;
		@Nullable String[] names = { step.resultName(), (stateName != null && stateName.isTextual()) ? stateName.textValue()
				: null, step.variable(), step.task() };
		for (String name : names) {
			if (name != null) {
				JsonNode value = this.values.get(Spec.MockKey.named(middleware, name));
				if (value != null) {
					return StepResult.of(value.deepCopy());
				}
			}
		}
		JsonNode value = this.values.get(Spec.MockKey.middleware(middleware));
		return (value != null) ? StepResult.of(value.deepCopy()) : null;
	}

	/** Logs a call of {@code pipeline}; its mocked final state, or {@code null} to run it. */
	@Nullable JsonNode pipeline(String pipeline, JsonNode input) {
		this.calls.add(new LoggedCall("pipeline." + pipeline, input.deepCopy()));
		JsonNode value = this.values.get(Spec.MockKey.pipeline(pipeline));
		return (value != null) ? value.deepCopy() : null;
	}

	/** Logs a root field of a GraphQL operation; its mocked value, or {@code null} to ask the server. */
	@Nullable JsonNode graphqlField(String operation, String field, JsonNode arguments) {
		this.calls.add(new LoggedCall(operation + "." + field, arguments.deepCopy()));
		JsonNode value = this.values.get(Spec.MockKey.graphql(operation, field));
		return (value != null) ? value.deepCopy() : null;
	}

	/** The inputs of the calls of {@code target} ({@code pipeline.name}, {@code query.field}), in order. */
	List<JsonNode> calls(String target) {
		List<JsonNode> inputs = new ArrayList<>();
		for (LoggedCall call : this.calls) {
			if (call.target().equals(target)) {
				inputs.add(call.input());
			}
		}
		return inputs;
	}

	private record LoggedCall(String target, JsonNode input) {
	}

}
