package dev.webpipe.middleware.validate;

import java.util.Map;

import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;

/**
 * {@code |> validate: `name: string(2..50), email: email`}: checks the request body's fields
 * (docs/middleware/validate.md). Rules are parsed once at load time; unknown kinds and malformed
 * rules are load-time errors at their position. A failure is a {@code validationError}
 * ({@code {type, field, context, rule, message}}); success leaves the state unchanged (Merge).
 */
public final class ValidateMiddleware implements Middleware {

	/**
	 * The typed errors of this middleware and the status each gets when unhandled
	 * (docs/runtime.md#unhandled-errors).
	 */
	public static final Map<String, Integer> ERRORS = Map.of("validationError", 400);

	@Override
	public String name() {
		return "validate";
	}

	@Override
	public Behavior behavior() {
		return Behavior.MERGE;
	}

	@Override
	public boolean requiresConfig() {
		return true;
	}

	@Override
	public ValidateStep compile(StepDefinition definition) throws InvalidStepException {
		return new ValidateStep(ValidationRules.parse(definition.config()));
	}

}
