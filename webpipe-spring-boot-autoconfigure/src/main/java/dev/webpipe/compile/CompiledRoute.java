package dev.webpipe.compile;

import dev.webpipe.language.RouteDoc;
import dev.webpipe.language.SourceLocation;
import dev.webpipe.runtime.CompiledPipeline;

/**
 * A route ready to serve.
 *
 * @param method the HTTP method
 * @param path the path as written ({@code /users/:id})
 * @param pattern the Spring {@code PathPattern} form ({@code /users/{id}})
 * @param pipeline the route body
 * @param location where the route is declared
 * @param doc what the comment lines directly above the route say (docs/openapi.md#route-comments)
 */
public record CompiledRoute(String method, String path, String pattern, CompiledPipeline pipeline,
		SourceLocation location, RouteDoc doc) {

	/** A route without comments. */
	public CompiledRoute(String method, String path, String pattern, CompiledPipeline pipeline,
			SourceLocation location) {
		this(method, path, pattern, pipeline, location, RouteDoc.NONE);
	}

	/** {@code METHOD /path} as written. */
	public String label() {
		return this.method + " " + this.path;
	}

	/**
	 * The Spring path pattern for a {@code .wp} path: {@code :name} becomes {@code {name}} and
	 * {@code *name} becomes {@code {*name}}.
	 */
	static String toPattern(String path) {
		StringBuilder pattern = new StringBuilder();
		for (String segment : path.split("/", -1)) {
			if (pattern.length() > 0 || !segment.isEmpty()) {
				pattern.append('/');
			}
			if (segment.startsWith(":")) {
				pattern.append('{').append(segment.substring(1)).append('}');
			}
			else if (segment.startsWith("*")) {
				pattern.append("{*").append(segment.substring(1)).append('}');
			}
			else {
				pattern.append(segment);
			}
		}
		return (pattern.length() == 0) ? "/" : pattern.toString();
	}

}
