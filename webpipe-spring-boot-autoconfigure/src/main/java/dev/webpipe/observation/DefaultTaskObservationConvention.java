package dev.webpipe.observation;

import io.micrometer.common.KeyValues;

/**
 * {@code webpipe.task}: the low-cardinality keys {@code route}, {@code task}, {@code outcome} and {@code joined}
 * ({@code true}, or {@code false} for a detached task), the task's {@code file:line} as the high-cardinality key
 * {@code location}, and a span named {@code @async <task>} (docs/operations.md#metrics-and-traces).
 */
public class DefaultTaskObservationConvention implements TaskObservationConvention {

	/** The name of the observations and of their timer. */
	public static final String NAME = "webpipe.task";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(TaskObservationContext context) {
		return "@async " + context.getTask();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskObservationContext context) {
		return KeyValues.of(WebPipeObservationDocumentation.TaskKeys.ROUTE.withValue(context.getRoute()),
				WebPipeObservationDocumentation.TaskKeys.TASK.withValue(context.getTask()),
				WebPipeObservationDocumentation.TaskKeys.OUTCOME.withValue(context.getOutcome()),
				WebPipeObservationDocumentation.TaskKeys.JOINED.withValue(Boolean.toString(context.isJoined())));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskObservationContext context) {
		return KeyValues.of(WebPipeObservationDocumentation.TaskKeys.LOCATION.withValue(context.getLocation()));
	}

}
