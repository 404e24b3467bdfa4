package dev.webpipe.observation;

import io.micrometer.common.KeyValues;

/**
 * What the default convention of {@code webpipe.step} makes of one step of one route, made once rather than at each
 * of its observations (docs/performance.md#third-profile): its {@code file:line}, the span's name, the
 * low-cardinality keys of a successful step and the high-cardinality keys.
 */
final class StepKeys {

	final String location;

	final String contextualName;

	final KeyValues success;

	final KeyValues high;

	StepKeys(String route, String middleware, String location) {
		this.location = location;
		this.contextualName = middleware + " " + location;
		this.success = KeyValues.of(WebPipeObservationDocumentation.StepKeys.ROUTE.withValue(route),
				WebPipeObservationDocumentation.StepKeys.MIDDLEWARE.withValue(middleware),
				WebPipeObservationDocumentation.StepKeys.OUTCOME.withValue(StepObservationContext.SUCCESS));
		this.high = KeyValues.of(WebPipeObservationDocumentation.StepKeys.LOCATION.withValue(location));
	}

}
