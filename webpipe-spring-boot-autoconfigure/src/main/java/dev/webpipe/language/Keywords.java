package dev.webpipe.language;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The words of the language, in one place for the parsers and for what checks names against them
 * (docs/language.md#identifiers-and-keywords).
 */
public final class Keywords {

	/** Words that cannot name a step, a pipeline or a variable. */
	static final Set<String> STEP = Set.of("result", "if", "dispatch", "foreach", "end", "case");

	/** The words that start a top-level item other than a route. */
	static final List<String> TOP_LEVEL = List.of("config", "import", "featureFlags", "graphqlSchema", "query",
			"mutation", "resolver", "pipeline", "describe");

	/** The methods a route may have. */
	static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");

	/** Every keyword above. */
	public static final Set<String> ALL;

	static {
		Set<String> all = new LinkedHashSet<>(STEP);
		all.addAll(TOP_LEVEL);
		all.addAll(HTTP_METHODS);
		ALL = Set.copyOf(all);
	}

	private Keywords() {
	}

}
