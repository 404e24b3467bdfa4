package dev.webpipe.observation;

import io.micrometer.common.KeyValues;

/**
 * {@code webpipe.step}: the low-cardinality keys {@code route}, {@code middleware} and {@code outcome} (tags of
 * the timer), the step's {@code file:line} as the high-cardinality key {@code location} (spans only), and a span
 * named {@code <middleware> <file:line>} (docs/operations.md#metrics-and-traces).
 */
public class DefaultStepObservationConvention implements StepObservationConvention {

	/** The name of the observations and of their timer. */
	public static final String NAME = "webpipe.step";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(StepObservationContext context) {
		StepKeys keys = context.keys();
		return (keys != null) ? keys.contextualName : context.getMiddleware() + " " + context.getLocation();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(StepObservationContext context) {
		StepKeys keys = context.keys();
		if (keys != null && StepObservationContext.SUCCESS.equals(context.getOutcome())) {
			return keys.success;
		}
		return KeyValues.of(WebPipeObservationDocumentation.StepKeys.ROUTE.withValue(context.getRoute()),
				WebPipeObservationDocumentation.StepKeys.MIDDLEWARE.withValue(context.getMiddleware()),
				WebPipeObservationDocumentation.StepKeys.OUTCOME.withValue(context.getOutcome()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(StepObservationContext context) {
		StepKeys keys = context.keys();
		if (keys != null) {
			return keys.high;
		}
		return KeyValues.of(WebPipeObservationDocumentation.StepKeys.LOCATION.withValue(context.getLocation()));
	}

}
