package dev.webpipe.middleware.validate;

import java.util.List;

import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ErrorContract;
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

	@Override
	public String name() {
		return "validate";
	}

	@Override
	public Behavior behavior() {
		return Behavior.MERGE;
	}

	@Override
	public List<ErrorContract> errors() {
		return List.of(new ErrorContract("validationError", 400));
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
