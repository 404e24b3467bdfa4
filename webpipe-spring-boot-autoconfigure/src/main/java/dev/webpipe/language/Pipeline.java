package dev.webpipe.language;

import java.util.List;

/** A pipeline body: the steps of a route, a named pipeline, a branch or a condition. */
public record Pipeline(List<Step> steps, Span span) implements Node {

	public Pipeline {
		steps = List.copyOf(steps);
	}

	public boolean isEmpty() {
		return this.steps.isEmpty();
	}
}
