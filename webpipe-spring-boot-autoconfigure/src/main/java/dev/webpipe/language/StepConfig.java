package dev.webpipe.language;

/** What follows the {@code :} of a step: a string literal or an identifier reference. */
public sealed interface StepConfig extends Node permits StringLit, StepConfig.Reference {

	/**
	 * An identifier config, e.g. {@code pg: ordersByUser}, optionally scoped
	 * ({@code alias::name}, T3).
	 */
	record Reference(java.util.Optional<Name> alias, Name name, Span span) implements StepConfig {

		/** {@code name} or {@code alias::name}. */
		public String text() {
			return this.alias.map(a -> a.text() + "::").orElse("") + this.name.text();
		}

	}

}
