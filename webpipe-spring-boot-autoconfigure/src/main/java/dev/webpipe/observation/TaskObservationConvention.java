package dev.webpipe.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention of {@code webpipe.task} observations: its name and key values. An application bean of this type
 * replaces {@link DefaultTaskObservationConvention} (docs/operations.md#metrics-and-traces).
 */
public interface TaskObservationConvention extends ObservationConvention<TaskObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskObservationContext;
	}

}
