package dev.webpipe.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention of {@code webpipe.step} observations: its name and key values. An application bean of this type
 * replaces {@link DefaultStepObservationConvention} (docs/operations.md#metrics-and-traces).
 */
public interface StepObservationConvention extends ObservationConvention<StepObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof StepObservationContext;
	}

}
