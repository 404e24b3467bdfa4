package dev.webpipe.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.CompiledRoute;
import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.language.Document;
import dev.webpipe.language.SourceFile;
import dev.webpipe.language.Span;
import dev.webpipe.language.TopItem;

/**
 * The source of the route that serves a path, for the home page (docs/demo.md#the-home-page): read from the
 * program the application loaded, so the page shows exactly the {@code .wp} text that runs and no copy can drift.
 */
@RestController
class DemoSources {

	/** Longest source answered, in lines: a route is a few dozen at most. */
	private static final int MAX_LINES = 80;

	private final ProgramHolder programs;

	DemoSources(ProgramHolder programs) {
		this.programs = programs;
	}

	/**
	 * {@code GET /demo/source?path=/users/42}: {@code {file, line, route, source}} of the {@code GET} route that
	 * serves the path (its query ignored), with the comments and declarations right above it; 404 when no route
	 * serves it.
	 */
	@GetMapping("/demo/source")
	ResponseEntity<Map<String, Object>> source(@RequestParam String path) {
		String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
		if (!bare.startsWith("/") || bare.length() > 2048) {
			return notFound();
		}
		PathContainer container = PathContainer.parsePath(bare);
		// the program serving now: after a reload (docs/reload.md), the new text
		CompiledProgram program = this.programs.program();
		for (CompiledRoute route : program.routes()) {
			if (route.method().equals("GET")
					&& PathPatternParser.defaultInstance.parse(route.pattern()).matches(container)) {
				Optional<Document> found = document(program, route.location().file());
				if (found.isEmpty()) {
					return notFound();
				}
				Document document = found.get();
				Span span = route.location().span();
				return ResponseEntity.ok(Map.of("file", document.file(), "line", span.line(), "route", route.label(),
						"source", text(document, span.line(), span.endLine())));
			}
		}
		return notFound();
	}

	private static Optional<Document> document(CompiledProgram program, String file) {
		return program.documents().stream().filter((document) -> document.file().equals(file)).findFirst();
	}

	/**
	 * The route's lines, from {@code first} to {@code last}, with what is written between it and the route or
	 * {@code describe} before it (comments, the variables and pipelines it uses), without surrounding blank lines.
	 */
	private static String text(Document document, int first, int last) {
		int start = 1;
		for (TopItem item : document.items()) {
			if ((item instanceof TopItem.Route || item instanceof TopItem.Describe) && item.span().endLine() < first) {
				start = Math.max(start, item.span().endLine() + 1);
			}
		}
		SourceFile file = document.source();
		int end = Math.max(first, last);
		while (end > first && file.line(end).isBlank()) {
			end--;
		}
		start = Math.max(start, end - MAX_LINES + 1);
		while (start < first && file.line(start).isBlank()) {
			start++;
		}
		List<String> lines = new ArrayList<>();
		for (int line = Math.min(start, first); line <= end; line++) {
			lines.add(file.line(line));
		}
		return String.join("\n", lines);
	}

	private static ResponseEntity<Map<String, Object>> notFound() {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "No GET route serves this path"));
	}

}
