package dev.webpipe.middleware.log;

import java.util.Map;

/** Opens the package-private settings parser of {@link LogMiddleware} to tests. */
public final class LogMiddlewareAccess {

	private LogMiddlewareAccess() {
	}

	public static Map<String, String> parse(String config) {
		return LogMiddleware.parseSettings(config);
	}

}
