package dev.webpipe.instrumentation;

import com.fasterxml.jackson.databind.JsonNode;

import dev.webpipe.language.SourceLocation;

/**
 * A call of a named pipeline about to run.
 *
 * @param route the route as written
 * @param pipeline the called pipeline's name
 * @param location the {@code file:line} of the call
 * @param input the input the pipeline receives (after merging an inline argument)
 */
public record PipelineParameters(String route, String pipeline, SourceLocation location, JsonNode input) {
}
