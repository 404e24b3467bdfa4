package dev.webpipe.autoconfigure;

import java.util.List;

import dev.webpipe.middleware.Middleware;

/**
 * Built-in middleware contributed by an optional part of the auto-configuration (those that
 * need infrastructure: an HTTP client, a database, a GraphQL client). Deliberately not of type
 * {@link Middleware}, so that the registry can tell built-ins, which application beans replace,
 * from application middleware.
 *
 * @param middleware the contributed built-ins
 */
public record WebPipeBuiltins(List<Middleware> middleware) {

	public WebPipeBuiltins {
		middleware = List.copyOf(middleware);
	}

}
