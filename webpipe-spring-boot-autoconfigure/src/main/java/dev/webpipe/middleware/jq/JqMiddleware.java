package dev.webpipe.middleware.jq;

import java.util.List;

import reactor.core.publisher.Mono;

import dev.webpipe.middleware.ErrorContract;
import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.runtime.jq.JqCompileException;
import dev.webpipe.runtime.jq.JqProgram;

/**
 * {@code |> jq: `program`}: the program's first output replaces the state (middleware.md, jq).
 * Programs are compiled once at load time; {@code $context} and {@code $ENV} are bound.
 */
public final class JqMiddleware implements Middleware {

	@Override
	public String name() {
		return "jq";
	}

	@Override
	public List<ErrorContract> errors() {
		return List.of(new ErrorContract("jqError", 500));
	}

	@Override
	public Behavior behavior() {
		return Behavior.TRANSFORM;
	}

	@Override
	public boolean requiresConfig() {
		return true;
	}

	@Override
	public ExecutableStep compile(StepDefinition definition) throws InvalidStepException {
		JqProgram program;
		try {
			program = JqProgram.compile(definition.config());
		}
		catch (JqCompileException ex) {
			throw new InvalidStepException("jq compile error: " + ex.detail(), ex.offset().orElse(-1));
		}
		return (input) -> Mono.just(StepResult.of(program.apply(input.state(), input.context().contextJson())));
	}

}
