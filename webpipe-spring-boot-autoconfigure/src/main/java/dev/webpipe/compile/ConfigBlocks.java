package dev.webpipe.compile;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.SourceFile;
import dev.webpipe.language.TopItem;
import dev.webpipe.runtime.Json;

/**
 * Config blocks (grammar.md §2.1): values resolved once at load time, blocks of the same name
 * merged (later wins, with a warning), then {@code webpipe.config.<block>.<key>} overrides.
 */
final class ConfigBlocks {

	static final Set<String> KNOWN = Set.of("pg", "auth", "cache", "log", "rateLimit", "graphql");

	private ConfigBlocks() {
	}

	static void declare(TopItem.ConfigBlock block, Map<String, ObjectNode> blocks,
			Function<String, String> environment, SourceFile source, List<Diagnostic> diagnostics) {
		String name = block.name().text();
		if (!KNOWN.contains(name)) {
			diagnostics.add(Diagnostic.warning(source, block.name().span(), "unknown config block '" + name
					+ "' ignored"));
			return;
		}
		ObjectNode values = blocks.computeIfAbsent(name, (key) -> Json.MAPPER.createObjectNode());
		for (TopItem.ConfigProperty property : block.properties()) {
			JsonNode value = resolve(property.value(), environment, source, diagnostics);
			if (value == null) {
				continue;
			}
			String key = property.key().text();
			if (values.has(key)) {
				diagnostics.add(Diagnostic.warning(source, property.key().span(),
						"config " + name + " key '" + key + "' overrides an earlier value"));
			}
			values.set(key, value);
		}
	}

	private static JsonNode resolve(TopItem.ConfigValue value, Function<String, String> environment,
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

	/** Applies {@code webpipe.config.<block>.<key>} values (strings) over the blocks of the files. */
	static void applyOverrides(Map<String, ObjectNode> blocks, Map<String, Map<String, String>> overrides) {
		overrides.forEach((block, values) -> {
			ObjectNode target = blocks.computeIfAbsent(block, (key) -> Json.MAPPER.createObjectNode());
			values.forEach(target::put);
		});
	}

}
