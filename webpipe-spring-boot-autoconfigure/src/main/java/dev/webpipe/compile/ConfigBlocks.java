package dev.webpipe.compile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.SourceFile;
import dev.webpipe.language.Span;
import dev.webpipe.language.TopItem;
import dev.webpipe.middleware.ConfigBlock;
import dev.webpipe.middleware.Json;

/**
 * Config blocks (docs/language.md#config-blocks): values resolved once at load time, blocks of
 * the same name merged (later wins, with a warning), then {@code webpipe.config.<block>.<key>}
 * overrides matched in Spring's relaxed form, then each block bound to the type its middleware
 * declares ({@link ConfigBlock}). A block is known when a registered middleware declares it.
 */
final class ConfigBlocks {

	private final Map<String, ConfigBlock<?>> declared;

	private final Map<String, ObjectNode> values = new LinkedHashMap<>();

	/** Where each key (and, under {@code ""}, each block) was last written in a file. */
	private final Map<String, Map<String, Position>> positions = new LinkedHashMap<>();

	/** The keys a property set last, by block. */
	private final Map<String, Map<String, String>> overridden = new LinkedHashMap<>();

	/** Whether the declared blocks are only some of the program's (a partial registry): others are not reported. */
	private final boolean partial;

	ConfigBlocks(Map<String, ConfigBlock<?>> declared, boolean partial) {
		this.declared = declared;
		this.partial = partial;
	}

	/** The merged values, by block name. */
	Map<String, ObjectNode> values() {
		return this.values;
	}

	void declare(TopItem.ConfigBlock block, Function<String, @Nullable String> environment, SourceFile source,
			List<Diagnostic> diagnostics) {
		String name = block.name().text();
		if (!this.declared.containsKey(name)) {
			diagnostics.add(Diagnostic.warning(source, block.name().span(), "unknown config block '" + name
					+ "' ignored"));
			return;
		}
		ObjectNode target = this.values.computeIfAbsent(name, (key) -> Json.NODES.objectNode());
		Map<String, Position> keys = this.positions.computeIfAbsent(name, (key) -> new LinkedHashMap<>());
		keys.putIfAbsent("", new Position(source, block.name().span()));
		for (TopItem.ConfigProperty property : block.properties()) {
			JsonNode value = resolve(property.value(), environment, source, diagnostics);
			if (value == null) {
				continue;
			}
			String key = property.key().text();
			if (target.has(key)) {
				diagnostics.add(Diagnostic.warning(source, property.key().span(),
						"config " + name + " key '" + key + "' overrides an earlier value"));
			}
			target.set(key, value);
			keys.put(key, new Position(source, property.key().span()));
		}
	}

	private static @Nullable JsonNode resolve(TopItem.ConfigValue value, Function<String, @Nullable String> environment,
			SourceFile source, List<Diagnostic> diagnostics) {
		if (value instanceof TopItem.ConfigValue.Literal literal) {
			return literal(literal);
		}
		TopItem.ConfigValue.EnvRef ref = (TopItem.ConfigValue.EnvRef) value;
		String resolved = environment.apply(ref.name().text());
		if (resolved != null) {
			return TextNode.valueOf(resolved);
		}
		if (ref.fallback().isPresent()) {
			return literal(ref.fallback().get());
		}
		diagnostics.add(Diagnostic.error(source, ref.span(),
				"environment variable '" + ref.name().text() + "' is not set and has no default"));
		return null;
	}

	private static JsonNode literal(TopItem.ConfigValue.Literal literal) {
		return switch (literal.kind()) {
			case BOOLEAN -> BooleanNode.valueOf(Boolean.parseBoolean(literal.text()));
			case INTEGER -> LongNode.valueOf(Long.parseLong(literal.text()));
			case STRING -> TextNode.valueOf(literal.text());
		};
	}

	/**
	 * Applies {@code webpipe.config.<block>.<key>} values (strings) over the blocks of the files,
	 * matching block and key names in Spring's relaxed form against the declared ones.
	 * @return one message per property that names no declared block or key
	 */
	List<String> applyOverrides(Map<String, Map<String, String>> overrides) {
		List<String> problems = new ArrayList<>();
		overrides.forEach((blockName, entries) -> {
			ConfigBlock<?> block = this.declared.values()
				.stream()
				.filter((candidate) -> candidate.isNamed(blockName))
				.findFirst()
				.orElse(null);
			if (block == null) {
				if (this.partial) {
					return;
				}
				problems.add("webpipe.config." + blockName + " names no config block of a registered middleware"
						+ " (known blocks: " + String.join(", ", this.declared.keySet()) + ")");
				return;
			}
			ObjectNode target = this.values.computeIfAbsent(block.name(), (key) -> Json.NODES.objectNode());
			entries.forEach((keyName, value) -> {
				String key = block.key(keyName);
				if (key == null) {
					problems.add("webpipe.config." + blockName + "." + keyName + " names no key of config "
							+ block.name() + " (known keys: " + String.join(", ", block.keys()) + ")");
					return;
				}
				target.put(key, value);
				this.overridden.computeIfAbsent(block.name(), (name) -> new LinkedHashMap<>())
					.put(key, "webpipe.config." + blockName + "." + keyName);
			});
		});
		return problems;
	}

	/**
	 * Binds every block the program has to its declared type. A value that a file wrote is
	 * reported at its key; one that a property set is returned as a start-up problem.
	 * @return the bound values, by block name
	 */
	Map<String, Object> bind(List<Diagnostic> diagnostics, List<String> problems) {
		Map<String, Object> bound = new LinkedHashMap<>();
		this.values.forEach((name, node) -> {
			ConfigBlock<?> block = Objects.requireNonNull(this.declared.get(name), name);
			try {
				bound.put(name, block.bind(node));
			}
			catch (ConfigBlock.InvalidConfigException ex) {
				bound.put(name, ex);
				String key = (ex.key() != null) ? ex.key() : "";
				String property = this.overridden.getOrDefault(name, Map.of()).get(key);
				Position position = this.positions.getOrDefault(name, Map.of()).get(key);
				if (property == null && position == null) {
					position = this.positions.getOrDefault(name, Map.of()).get("");
				}
				if (property != null || position == null) {
					problems.add(((property != null) ? property : "webpipe.config." + name) + ": " + ex.getMessage());
				}
				else {
					diagnostics.add(Diagnostic.error(position.source(), position.span(), ex.getMessage()));
				}
			}
		});
		return bound;
	}

	private record Position(SourceFile source, Span span) {
	}

	/** Properties {@code webpipe.config.*} that cannot apply: a start-up error that names them. */
	static @Nullable InvalidConfigPropertiesException problems(List<String> problems) {
		return problems.isEmpty() ? null : new InvalidConfigPropertiesException(problems);
	}

}
