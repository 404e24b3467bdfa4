package dev.webpipe.middleware;

import java.util.List;

import dev.webpipe.middleware.debug.DebugMiddleware;
import dev.webpipe.middleware.jq.JqMiddleware;
import dev.webpipe.middleware.log.HeaderRedaction;
import dev.webpipe.middleware.log.LogMiddleware;

/** The built-in middleware that need no infrastructure (no HTTP client, no database). */
public final class BuiltinMiddleware {

	private BuiltinMiddleware() {
	}

	/** {@code jq}, {@code log} and {@code debug}, the last two redacting the default headers. */
	public static List<Middleware> standalone() {
		return standalone(HeaderRedaction.defaults());
	}

	/** {@code jq}, {@code log} and {@code debug}, the last two writing the values of {@code redaction} as {@code ***}. */
	public static List<Middleware> standalone(HeaderRedaction redaction) {
		return List.of(new JqMiddleware(), new LogMiddleware(redaction), new DebugMiddleware(redaction));
	}

}
