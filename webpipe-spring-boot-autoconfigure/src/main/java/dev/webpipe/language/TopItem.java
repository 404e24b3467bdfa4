package dev.webpipe.language;

import java.util.List;
import java.util.Optional;

/** A top-level item of a {@code .wp} file (docs/language.md#file-structure). */
public sealed interface TopItem extends Node {

	/** {@code config <name> { key: value … }} (docs/language.md#config-blocks). */
	record ConfigBlock(Name name, List<ConfigProperty> properties, Span span) implements TopItem {
		public ConfigBlock {
			properties = List.copyOf(properties);
		}
	}

	/** {@code import "path" as alias} [T3]. */
	record Import(StringLit path, Name alias, Span span) implements TopItem {
	}

	/**
	 * The feature-flag pipeline, written {@code featureFlags = …} or
	 * {@code pipeline featureFlags = …} ({@code pipelineKeyword}).
	 */
	record FeatureFlags(Pipeline body, boolean pipelineKeyword, Span span) implements TopItem {
	}

	/** {@code graphqlSchema = `…`} [T3]. */
	record GraphqlSchema(StringLit schema, Span span) implements TopItem {
	}

	/** {@code query name = …} or {@code mutation name = …} [T3]. */
	record OperationResolver(Operation operation, Name name, Pipeline body, Span span) implements TopItem {
	}

	/** {@code resolver Type.field = …} [T3]. */
	record TypeResolver(Name type, Name field, Pipeline body, Span span) implements TopItem {
	}

	/** {@code pipeline name = …}. */
	record NamedPipeline(Name name, Pipeline body, Span span) implements TopItem {
	}

	/** {@code <middleware> name = `…`}: a named config string. */
	record Variable(Name type, Name name, StringLit value, Span span) implements TopItem {
	}

	/** {@code METHOD /path} followed by its steps. */
	record Route(Name method, Path path, Pipeline body, Span span) implements TopItem {
	}

	/** {@code describe "name"} with its lets, mocks and tests (docs/testing.md#the-language). */
	record Describe(StringLit name, List<TestItem> items, Span span) implements TopItem {
		public Describe {
			items = List.copyOf(items);
		}
	}

	enum Operation {

		QUERY, MUTATION;

		public String keyword() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/** A route path as written, e.g. {@code /users/:id}. */
	record Path(String text, Span span) implements Node {
	}

	/** One {@code key: value} of a config block. */
	record ConfigProperty(Name key, ConfigValue value, Span span) implements Node {
	}

	/** A config value (docs/language.md#config-blocks). */
	sealed interface ConfigValue extends Node {

		/** {@code $NAME} with an optional {@code || default}. */
		record EnvRef(Name name, Optional<Literal> fallback, Span span) implements ConfigValue {
		}

		/** A quoted string, {@code true}/{@code false} or an integer. */
		record Literal(LiteralKind kind, String text, Span span) implements ConfigValue {
		}

		enum LiteralKind {

			STRING, BOOLEAN, INTEGER

		}

	}

}
