package dev.webpipe.middleware;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.language.SourceLocation;

/**
 * What a middleware receives at load time for one step.
 *
 * @param middleware the middleware name as written
 * @param config the config string after variable resolution ({@code ""} when none was written)
 * @param variable the name of the variable the config referenced, if any
 * @param arguments the source text of the inline arguments (jq expressions, evaluated by the
 * runtime and passed to {@link StepInput#arguments()})
 * @param location where the step is
 * @param configBlocks the merged {@code config} blocks of the program, by block name, with the
 * {@code webpipe.config.*} properties applied
 * @param settings the bound values of the declared blocks, by block name (for a block whose values
 * did not bind, the {@link ConfigBlock.InvalidConfigException} the load reported)
 * @param configStart where the first character of the config text is written (in the step's string, or in the
 * string of the variable it names), so that an embedded language can name {@code .wp} lines; empty when the step
 * was not read from a file
 * @param variables the texts of every variable of this middleware declared in the program, by
 * variable name (used by {@code handlebars}, whose variables are also partials)
 * @param warnings receives load-time warnings about the step
 */
public record StepDefinition(String middleware, String config, Optional<String> variable, List<String> arguments,
		SourceLocation location, Map<String, ObjectNode> configBlocks, Map<String, Object> settings,
		Optional<SourceLocation> configStart, Map<String, String> variables, LoadWarnings warnings) {

	public StepDefinition {
		arguments = List.copyOf(arguments);
		configBlocks = Map.copyOf(configBlocks);
		settings = Map.copyOf(settings);
		variables = Map.copyOf(variables);
	}

	/** A definition whose declared blocks bind when a step first asks for them. */
	public StepDefinition(String middleware, String config, Optional<String> variable, List<String> arguments,
			SourceLocation location, Map<String, ObjectNode> configBlocks) {
		this(middleware, config, variable, arguments, location, configBlocks, Map.of(), Optional.empty());
	}

	/** A definition with bound settings and no known position of its config text. */
	public StepDefinition(String middleware, String config, Optional<String> variable, List<String> arguments,
			SourceLocation location, Map<String, ObjectNode> configBlocks, Map<String, Object> settings) {
		this(middleware, config, variable, arguments, location, configBlocks, settings, Optional.empty());
	}

	/** A definition without other variables, whose warnings are dropped. */
	public StepDefinition(String middleware, String config, Optional<String> variable, List<String> arguments,
			SourceLocation location, Map<String, ObjectNode> configBlocks, Map<String, Object> settings,
			Optional<SourceLocation> configStart) {
		this(middleware, config, variable, arguments, location, configBlocks, settings, configStart, Map.of(),
				LoadWarnings.IGNORE);
	}

	/**
	 * The bound values of a declared block (any middleware's, so that one middleware may read
	 * another's connection settings): the type's defaults when the program has no such block.
	 * @throws InvalidStepException when the values do not bind (the load reports that at the
	 * block's key already, so a step of a loaded program never sees it)
	 */
	public <T> T settings(ConfigBlock<T> block) throws InvalidStepException {
		Object bound = this.settings.get(block.name());
		if (block.type().isInstance(bound)) {
			return block.type().cast(bound);
		}
		if (bound instanceof ConfigBlock.InvalidConfigException failed) {
			throw InvalidStepException.alreadyReported(failed.getMessage());
		}
		try {
			return block.bind(configBlock(block.name()));
		}
		catch (ConfigBlock.InvalidConfigException ex) {
			throw new InvalidStepException(ex.getMessage());
		}
	}

	/** Whether the program declares {@code config <name>} (in a file or by a property). */
	public boolean hasConfigBlock(String name) {
		return this.configBlocks.containsKey(name);
	}

	/** The values of {@code config <name> { … }}, empty when the block was not declared. */
	public ObjectNode configBlock(String name) {
		ObjectNode block = this.configBlocks.get(name);
		return (block != null) ? block : Json.NODES.objectNode();
	}

	/** A config block value as text, or {@code null}. */
	public @Nullable String configValue(String block, String key) {
		JsonNode value = configBlock(block).get(key);
		return (value == null || value.isNull()) ? null : value.asText();
	}

	/**
	 * Reports a load-time warning at a position inside the step's config string.
	 * @param message what is wrong, without position
	 * @param offset 0-based offset inside {@link #config()}, or -1 for the string's start
	 */
	public void warn(String message, int offset) {
		this.warnings.warn(message, null, offset);
	}

	/**
	 * Reports a load-time warning at a position inside another variable of this middleware.
	 * @param variable the variable's name (a key of {@link #variables()})
	 * @param message what is wrong, without position
	 * @param offset 0-based offset inside the variable's text
	 */
	public void warnInVariable(String variable, String message, int offset) {
		this.warnings.warn(message, variable, offset);
	}

	/** Where a middleware's load-time warnings go. */
	@FunctionalInterface
	public interface LoadWarnings {

		/** Drops every warning. */
		LoadWarnings IGNORE = (message, variable, offset) -> {
		};

		/**
		 * @param message the warning, without position
		 * @param variable the variable whose text {@code offset} is in, or {@code null} for the
		 * step's own config string
		 * @param offset 0-based offset inside that text, or -1 for its start
		 */
		void warn(String message, @Nullable String variable, int offset);

	}

}
