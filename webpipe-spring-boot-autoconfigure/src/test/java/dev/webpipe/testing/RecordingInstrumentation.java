package dev.webpipe.testing;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;

import dev.webpipe.instrumentation.InstrumentationContext;
import dev.webpipe.instrumentation.InstrumentationState;
import dev.webpipe.instrumentation.Outcome;
import dev.webpipe.instrumentation.RunParameters;
import dev.webpipe.instrumentation.StepParameters;
import dev.webpipe.instrumentation.TaskParameters;
import dev.webpipe.instrumentation.WebPipeInstrumentation;

/** An application instrumentation bean that records every run, step and task it is told the end of. */
public final class RecordingInstrumentation implements WebPipeInstrumentation {

	private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

	/** Sits out the featureFlags pipeline's runs. */
	@Override
	public boolean appliesTo(RunParameters parameters) {
		return !parameters.featureFlags();
	}

	@Override
	public InstrumentationContext beginRun(RunParameters parameters, @Nullable InstrumentationState state) {
		return (outcome) -> this.events.add(new Event("run", parameters.route(), parameters.route(), outcome));
	}

	@Override
	public InstrumentationContext beginStep(StepParameters parameters, @Nullable InstrumentationState state) {
		return (outcome) -> this.events.add(new Event("step", parameters.route(),
				parameters.middleware() + "@" + parameters.location().span().line(), outcome));
	}

	@Override
	public InstrumentationContext beginTask(TaskParameters parameters, @Nullable InstrumentationState state) {
		return (outcome) -> this.events.add(new Event("task", parameters.route(), parameters.task(), outcome));
	}

	/** The events of a route, in the order their ends were told. */
	public List<Event> of(String route) {
		return this.events.stream().filter((event) -> event.route().equals(route)).toList();
	}

	/**
	 * One end.
	 *
	 * @param kind {@code run}, {@code step} or {@code task}
	 * @param route the route as written
	 * @param name the route, {@code middleware@line} or the task name
	 * @param outcome what the context was told
	 */
	public record Event(String kind, String route, String name, Outcome outcome) {

		@Override
		public String toString() {
			return this.kind + " " + this.name + " " + this.outcome.name() + (this.outcome.detached() ? " detached" : "");
		}

	}

}
