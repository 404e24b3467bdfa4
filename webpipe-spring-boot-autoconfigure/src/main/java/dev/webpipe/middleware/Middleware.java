package dev.webpipe.middleware;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A step kind of the {@code .wp} language, such as {@code jq} or {@code fetch}. Built-ins and
 * application middleware are the same kind of thing: a Spring bean implementing this interface.
 * An application bean whose {@link #name()} equals a built-in's replaces the built-in.
 * <p>
 * A middleware is asked once per step at start-up to {@link #compile(StepDefinition) compile}
 * the step's configuration into a thread-safe {@link ExecutableStep}, which then runs once per
 * request. The state is a Jackson 2 {@code com.fasterxml.jackson.databind.JsonNode}.
 */
public interface Middleware {

	/** The name used in {@code .wp} files ({@code |> name: …}); language keywords are refused. */
	String name();

	/** How the output of a step becomes the next state. */
	default Behavior behavior() {
		return Behavior.TRANSFORM;
	}

	/**
	 * Whether the step produces a <em>result value</em> that {@code @result}, {@code resultName}
	 * and variable auto-naming place under {@code .data} (as {@code fetch}, {@code pg} and
	 * {@code graphql} do). Unnamed, the value goes to {@code .data}: merged into the state for
	 * {@link Behavior#MERGE}, as the new state {@code {data: value}} for {@link Behavior#TRANSFORM}.
	 */
	default boolean placesResult() {
		return false;
	}

	/** How many inline arguments the step accepts ({@code name(a, b)}); 0 refuses them. */
	default int maxInlineArguments() {
		return 0;
	}

	/** Whether variables of this middleware may be declared ({@code name varName = `…`}). */
	default boolean acceptsVariables() {
		return true;
	}

	/** Whether a step must have a non-empty config string. */
	default boolean requiresConfig() {
		return false;
	}

	/**
	 * The {@code config <name> { … }} block this middleware reads, with the type its values bind
	 * to, or {@code null} for none. A block is known to the language when a registered middleware
	 * declares it; steps read the bound values with {@link StepDefinition#settings(ConfigBlock)}.
	 */
	default @Nullable ConfigBlock<?> configBlock() {
		return null;
	}

	/**
	 * The typed errors this middleware's steps can raise, with the status each gets when no
	 * {@code result} branch handles it (docs/runtime.md#unhandled-errors). A type of the
	 * language's table must keep its status there.
	 */
	default List<ErrorContract> errors() {
		return List.of();
	}

	/**
	 * Whether the runtime looks past this middleware's steps when it asks whether more steps
	 * follow (system keys are kept while more steps follow: docs/runtime.md#how-steps-change-the-state): true for
	 * steps that leave the state alone, such as {@code log} and {@code debug}.
	 */
	default boolean transparentToLookahead() {
		return false;
	}

	/**
	 * Whether a bare identifier as config ({@code |> name: someName}) that names no variable of
	 * this middleware is worth a load-time warning, because the config is usually a variable
	 * (SQL, a GraphQL document, a script).
	 */
	default boolean warnsOnIdentifierConfig() {
		return false;
	}

	/**
	 * Compiles one step at load time.
	 * @param definition the step's config string (after variable resolution), inline
	 * arguments and source location
	 * @return the executable step, shared by all requests
	 * @throws InvalidStepException to reject the configuration with a load-time diagnostic
	 */
	ExecutableStep compile(StepDefinition definition) throws InvalidStepException;

}
