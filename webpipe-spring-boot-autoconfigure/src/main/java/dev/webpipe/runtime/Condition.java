package dev.webpipe.runtime;

import com.fasterxml.jackson.databind.JsonNode;

/** A compiled tag expression: whether a step runs, evaluated just before it. */
@FunctionalInterface
public interface Condition {

	Condition ALWAYS = (state, context) -> true;

	boolean test(JsonNode state, RequestContext context);

	default Condition and(Condition other) {
		if (this == ALWAYS) {
			return other;
		}
		if (other == ALWAYS) {
			return this;
		}
		return (state, context) -> test(state, context) && other.test(state, context);
	}

	default Condition or(Condition other) {
		return (state, context) -> test(state, context) || other.test(state, context);
	}

}
