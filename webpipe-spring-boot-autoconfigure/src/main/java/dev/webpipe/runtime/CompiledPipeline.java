package dev.webpipe.runtime;

import java.util.List;

/**
 * An executable pipeline: a route body, a named pipeline or a branch body, compiled once.
 *
 * @param name a label for messages ({@code GET /users/:id}, {@code pipeline loadUser}, …)
 * @param stages the steps in order
 */
public record CompiledPipeline(String name, List<Stage> stages) {

	public CompiledPipeline {
		stages = List.copyOf(stages);
	}

}
