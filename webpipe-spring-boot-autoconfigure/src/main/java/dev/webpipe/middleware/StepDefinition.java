package dev.webpipe.middleware;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.webpipe.runtime.SourceLocation;

/**
 * What a middleware receives at load time for one step.
 *
 * @param middleware the middleware name as written
 * @param config the config string after variable resolution ({@code ""} when none was written)
 * @param variable the name of the variable the config referenced, if any
 * @param arguments the source text of the inline arguments (jq expressions, evaluated by the
 * runtime and passed to {@link StepInput#arguments()})
 * @param location where the step is
 * @param configBlocks the merged {@code config} blocks of the program, by block name
 * @param configStart where the first character of the config text is written (in the step's string, or in the
 * string of the variable it names), so that an embedded language can name {@code .wp} lines; empty when the step
 * was not read from a file
 */
public record StepDefinition(String middleware, String config, Optional<String> variable, List<String> arguments,
		SourceLocation location, java.util.Map<String, ObjectNode> configBlocks, Optional<SourceLocation> configStart) {

	public StepDefinition {
		arguments = List.copyOf(arguments);
		configBlocks = java.util.Map.copyOf(configBlocks);
	}

	/** A step whose config text has no known position. */
	public StepDefinition(String middleware, String config, Optional<String> variable, List<String> arguments,
			SourceLocation location, java.util.Map<String, ObjectNode> configBlocks) {
		this(middleware, config, variable, arguments, location, configBlocks, Optional.empty());
	}

	/** The values of {@code config <name> { … }}, empty when the block was not declared. */
	public ObjectNode configBlock(String name) {
		ObjectNode block = this.configBlocks.get(name);
		return (block != null) ? block : dev.webpipe.runtime.Json.MAPPER.createObjectNode();
	}

	/** A config block value as text, or {@code null}. */
	public String configValue(String block, String key) {
		JsonNode value = configBlock(block).get(key);
		return (value == null || value.isNull()) ? null : value.asText();
	}

}
