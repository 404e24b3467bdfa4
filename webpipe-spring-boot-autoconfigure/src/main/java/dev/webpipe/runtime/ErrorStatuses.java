package dev.webpipe.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.webpipe.middleware.ErrorContract;
import dev.webpipe.middleware.Middleware;

/**
 * The status of an error response by the type of its unhandled error
 * (docs/runtime.md#unhandled-errors): the language's table, which any step may raise (a
 * {@code jq} step can answer a {@code validationError}), extended by the errors each registered
 * middleware declares ({@link Middleware#errors()}). Any other type answers 500.
 */
public final class ErrorStatuses {

	/** The types the language gives a status, whatever step raised them. */
	private static final Map<String, Integer> LANGUAGE = Map.of("validationError", 400, "authError", 401,
			"rateLimitExceeded", 429, "timeoutError", 504, "networkError", 502, "httpError", 502);

	private final Map<String, Integer> statuses;

	private ErrorStatuses(Map<String, Integer> statuses) {
		this.statuses = Map.copyOf(statuses);
	}

	/** The language's table alone. */
	public static ErrorStatuses language() {
		return new ErrorStatuses(LANGUAGE);
	}

	/**
	 * The language's table with the errors the middleware declare.
	 * @throws IllegalStateException when a middleware gives a type another status than the
	 * language or another middleware does
	 */
	public static ErrorStatuses of(Iterable<? extends Middleware> middleware) {
		Map<String, Integer> statuses = new LinkedHashMap<>(LANGUAGE);
		Map<String, String> declaredBy = new LinkedHashMap<>();
		for (Middleware candidate : middleware) {
			for (ErrorContract contract : candidate.errors()) {
				Integer known = statuses.putIfAbsent(contract.type(), contract.status());
				if (known != null && known != contract.status()) {
					String first = declaredBy.getOrDefault(contract.type(), "the language");
					throw new IllegalStateException("middleware '" + candidate.name() + "' declares "
							+ contract.type() + " as " + contract.status() + ", but " + first + " gives it "
							+ known);
				}
				declaredBy.putIfAbsent(contract.type(), "middleware '" + candidate.name() + "'");
			}
		}
		return new ErrorStatuses(statuses);
	}

	/** The status of an unhandled error of this type: 500 unless the table says otherwise. */
	public int status(String type) {
		return this.statuses.getOrDefault(type, 500);
	}

	/** The whole table, by type. */
	public Map<String, Integer> asMap() {
		return this.statuses;
	}

}
