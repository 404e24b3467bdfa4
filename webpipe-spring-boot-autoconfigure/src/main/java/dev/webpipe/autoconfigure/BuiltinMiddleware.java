package dev.webpipe.autoconfigure;

import java.util.List;

import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.debug.DebugMiddleware;
import dev.webpipe.middleware.handlebars.HandlebarsMiddleware;
import dev.webpipe.middleware.jq.JqMiddleware;
import dev.webpipe.middleware.log.LogMiddleware;
import dev.webpipe.middleware.validate.ValidateMiddleware;

/** The built-in middleware that need no infrastructure (no HTTP client, no database). */
public final class BuiltinMiddleware {

	private BuiltinMiddleware() {
	}

	/** {@code jq} (with the default budget), {@code log}, {@code debug}, {@code handlebars} and {@code validate}. */
	public static List<Middleware> standalone() {
		return standalone(new JqMiddleware());
	}

	/** {@code jq} as given, {@code log}, {@code debug}, {@code handlebars} and {@code validate}. */
	public static List<Middleware> standalone(JqMiddleware jq) {
		return List.of(jq, new LogMiddleware(), new DebugMiddleware(), new HandlebarsMiddleware(),
				new ValidateMiddleware());
	}

}
