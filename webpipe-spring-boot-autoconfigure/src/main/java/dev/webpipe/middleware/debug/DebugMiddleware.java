package dev.webpipe.middleware.debug;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.log.HeaderRedaction;

/**
 * {@code |> debug: "label"}: logs the label and the pretty-printed state at INFO on logger
 * {@code webpipe.debug}; the state is unchanged. Header values of {@link HeaderRedaction} are written as {@code ***}
 * (docs/middleware/log.md#redaction).
 */
public final class DebugMiddleware implements Middleware {

	private static final Logger logger = LoggerFactory.getLogger("webpipe.debug");

	private final HeaderRedaction redaction;

	/** A debug middleware that redacts the default headers ({@link HeaderRedaction#defaults()}). */
	public DebugMiddleware() {
		this(HeaderRedaction.defaults());
	}

	/** @param redaction the header values written as {@code ***} */
	public DebugMiddleware(HeaderRedaction redaction) {
		this.redaction = redaction;
	}

	@Override
	public String name() {
		return "debug";
	}

	@Override
	public boolean transparentToLookahead() {
		return true;
	}

	@Override
	public Behavior behavior() {
		return Behavior.READ_ONLY;
	}

	@Override
	public ExecutableStep compile(StepDefinition definition) {
		String label = definition.config().isBlank() ? "debug" : definition.config().trim();
		String where = definition.location().toString();
		return (input) -> {
			if (logger.isInfoEnabled()) {
				logger.info("{} [{}]\n{}", label, where, Json.pretty(this.redaction.apply(input.state())));
			}
			return Mono.just(StepResult.of(input.state()));
		};
	}

}
