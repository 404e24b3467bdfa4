package dev.webpipe.instrumentation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * Several instrumentations as one ({@link WebPipeInstrumentation#compose}): each member that applies to a run
 * keeps its own state; begin calls go to the members in order, their contexts are told the end in the same
 * order; step wrappers nest with the first member outermost; the first member that replaces a pipeline wins.
 */
final class ChainedInstrumentation implements WebPipeInstrumentation {

	private final WebPipeInstrumentation[] members;

	ChainedInstrumentation(List<? extends WebPipeInstrumentation> members) {
		this.members = members.toArray(new WebPipeInstrumentation[0]);
	}

	@Override
	public boolean appliesTo(RunParameters parameters) {
		for (WebPipeInstrumentation member : this.members) {
			if (member.appliesTo(parameters)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public InstrumentationState createState(RunParameters parameters) {
		List<WebPipeInstrumentation> applying = new ArrayList<>(this.members.length);
		List<InstrumentationState> states = new ArrayList<>(this.members.length);
		for (WebPipeInstrumentation member : this.members) {
			if (member.appliesTo(parameters)) {
				applying.add(member);
				states.add(member.createState(parameters));
			}
		}
		return new ChainedState(applying.toArray(new WebPipeInstrumentation[0]),
				states.toArray(new InstrumentationState[0]));
	}

	@Override
	public InstrumentationContext beginRun(RunParameters parameters, @Nullable InstrumentationState state) {
		ChainedState chained = (ChainedState) Objects.requireNonNull(state);
		InstrumentationContext[] contexts = new InstrumentationContext[chained.members.length];
		for (int i = 0; i < contexts.length; i++) {
			contexts[i] = chained.members[i].beginRun(parameters, chained.states[i]);
		}
		return all(contexts);
	}

	@Override
	public InstrumentationContext beginStep(StepParameters parameters, @Nullable InstrumentationState state) {
		ChainedState chained = (ChainedState) Objects.requireNonNull(state);
		InstrumentationContext[] contexts = new InstrumentationContext[chained.members.length];
		for (int i = 0; i < contexts.length; i++) {
			contexts[i] = chained.members[i].beginStep(parameters, chained.states[i]);
		}
		return all(contexts);
	}

	@Override
	public StepExecution instrumentStep(StepExecution execution, StepParameters parameters,
			@Nullable InstrumentationState state) {
		ChainedState chained = (ChainedState) Objects.requireNonNull(state);
		StepExecution wrapped = execution;
		for (int i = chained.members.length - 1; i >= 0; i--) {
			wrapped = chained.members[i].instrumentStep(wrapped, parameters, chained.states[i]);
		}
		return wrapped;
	}

	@Override
	public @Nullable JsonNode replacePipeline(PipelineParameters parameters, @Nullable InstrumentationState state) {
		ChainedState chained = (ChainedState) Objects.requireNonNull(state);
		for (int i = 0; i < chained.members.length; i++) {
			JsonNode replaced = chained.members[i].replacePipeline(parameters, chained.states[i]);
			if (replaced != null) {
				return replaced;
			}
		}
		return null;
	}

	@Override
	public InstrumentationContext beginTask(TaskParameters parameters, @Nullable InstrumentationState state) {
		ChainedState chained = (ChainedState) Objects.requireNonNull(state);
		InstrumentationContext[] contexts = new InstrumentationContext[chained.members.length];
		for (int i = 0; i < contexts.length; i++) {
			contexts[i] = chained.members[i].beginTask(parameters, chained.states[i]);
		}
		return all(contexts);
	}

	@Override
	public boolean includesErrorDetails(@Nullable InstrumentationState state) {
		ChainedState chained = (ChainedState) Objects.requireNonNull(state);
		for (int i = 0; i < chained.members.length; i++) {
			if (chained.members[i].includesErrorDetails(chained.states[i])) {
				return true;
			}
		}
		return false;
	}

	/** The state of member {@code instrumentation} in a chained state, or {@code null}. */
	static @Nullable InstrumentationState stateOf(InstrumentationState state, WebPipeInstrumentation instrumentation) {
		ChainedState chained = (ChainedState) Objects.requireNonNull(state);
		for (int i = 0; i < chained.members.length; i++) {
			if (chained.members[i] == instrumentation) {
				return chained.states[i];
			}
		}
		return null;
	}

	private static InstrumentationContext all(InstrumentationContext[] contexts) {
		if (contexts.length == 1) {
			return contexts[0];
		}
		return (outcome) -> {
			for (InstrumentationContext context : contexts) {
				context.onEnd(outcome);
			}
		};
	}

	private record ChainedState(WebPipeInstrumentation[] members, InstrumentationState[] states)
			implements InstrumentationState {
	}

}
