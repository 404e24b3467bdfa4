package dev.webpipe.language;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What the comment lines directly above a route say about it (docs/openapi.md#route-comments):
 * the first text line is its summary, the other text lines its description, and the lines
 * {@code # @response <status> [<JSON Schema>] [text]} and {@code # @query <name> [required] [text]}
 * add what cannot be read from the steps. A comment line belongs to the route when it starts at the
 * route's column and nothing but such lines stands between it and the route; a route without them
 * has an empty description.
 *
 * @param summary the first text line, or empty
 * @param description the other text lines, joined with line breaks, or empty
 * @param responses the {@code @response} lines, in source order
 * @param queryParameters the {@code @query} lines, in source order
 */
public record RouteDoc(String summary, String description, List<Response> responses,
		List<QueryParameter> queryParameters) {

	/** A route with no comment above it. */
	public static final RouteDoc NONE = new RouteDoc("", "", List.of(), List.of());

	public RouteDoc {
		responses = List.copyOf(responses);
		queryParameters = List.copyOf(queryParameters);
	}

	/**
	 * {@code # @response <status> [<JSON Schema>] [text]}.
	 *
	 * @param status the status, 100 to 599
	 * @param schema the JSON Schema of the body as written (an object on that line), if any
	 * @param schemaSpan where the schema starts ({@link Span#NONE} without one)
	 * @param description the text after the status and schema, or empty
	 * @param span where the annotation starts
	 */
	public record Response(int status, Optional<String> schema, Span schemaSpan, String description, Span span) {
	}

	/**
	 * {@code # @query <name> [required] [text]}.
	 *
	 * @param name the query parameter's name
	 * @param required whether the word {@code required} follows the name
	 * @param description the text after them, or empty
	 * @param span where the annotation starts
	 */
	public record QueryParameter(String name, boolean required, String description, Span span) {
	}

	/**
	 * Reads the comment lines directly above a route. Malformed annotations are reported to
	 * {@code diagnostics} as errors at their position, and left out.
	 * @param source the route's file
	 * @param route where the route starts
	 * @param diagnostics receives an error per malformed annotation
	 */
	public static RouteDoc read(SourceFile source, Span route, List<Diagnostic> diagnostics) {
		int column = route.column();
		List<Integer> lines = new ArrayList<>();
		for (int line = route.line() - 1; line >= 1; line--) {
			String text = source.line(line);
			if (!isCommentAt(text, column)) {
				break;
			}
			lines.add(line);
		}
		if (lines.isEmpty()) {
			return NONE;
		}
		Collections.reverse(lines);
		List<String> texts = new ArrayList<>();
		List<Response> responses = new ArrayList<>();
		List<QueryParameter> queries = new ArrayList<>();
		Set<Integer> statuses = new HashSet<>();
		Set<String> queryNames = new HashSet<>();
		for (int line : lines) {
			String text = source.line(line);
			int start = column; // the '#', 1-based
			int content = start + 1;
			if (content <= text.length() && text.charAt(content - 1) == ' ') {
				content++;
			}
			String body = (content <= text.length()) ? text.substring(content - 1).stripTrailing() : "";
			int lead = body.length() - body.stripLeading().length();
			String word = annotation(body.stripLeading());
			int at = content + lead;
			if (word.equals("@response")) {
				Response response = response(source, line, text, at, diagnostics);
				if (response != null && !statuses.add(response.status())) {
					diagnostics.add(Diagnostic.error(source, response.span(),
							"duplicate @response " + response.status() + " for this route"));
				}
				else if (response != null) {
					responses.add(response);
				}
			}
			else if (word.equals("@query")) {
				QueryParameter query = query(source, line, text, at, diagnostics);
				if (query != null && !queryNames.add(query.name())) {
					diagnostics.add(Diagnostic.error(source, query.span(),
							"duplicate @query " + query.name() + " for this route"));
				}
				else if (query != null) {
					queries.add(query);
				}
			}
			else {
				texts.add(body);
			}
		}
		while (!texts.isEmpty() && texts.get(0).isBlank()) {
			texts.remove(0);
		}
		while (!texts.isEmpty() && texts.get(texts.size() - 1).isBlank()) {
			texts.remove(texts.size() - 1);
		}
		String summary = texts.isEmpty() ? "" : texts.get(0).strip();
		List<String> rest = texts.isEmpty() ? List.of() : texts.subList(1, texts.size());
		int first = 0;
		while (first < rest.size() && rest.get(first).isBlank()) {
			first++;
		}
		String description = String.join("\n", rest.subList(first, rest.size()));
		return new RouteDoc(summary, description, responses, queries);
	}

	/** Whether a line is a comment whose {@code #} stands at {@code column} after nothing but spaces. */
	private static boolean isCommentAt(String text, int column) {
		if (text.length() < column || text.charAt(column - 1) != '#') {
			return false;
		}
		for (int i = 0; i < column - 1; i++) {
			if (text.charAt(i) != ' ' && text.charAt(i) != '\t') {
				return false;
			}
		}
		return true;
	}

	/** {@code @response} or {@code @query} when the text starts with that word, else empty. */
	private static String annotation(String text) {
		for (String word : List.of("@response", "@query")) {
			if (text.startsWith(word) && (text.length() == word.length()
					|| Character.isWhitespace(text.charAt(word.length())))) {
				return word;
			}
		}
		return "";
	}

	/** {@code @response <status> [<schema>] [text]}, starting at 1-based {@code column} of the line. */
	private static @Nullable Response response(SourceFile source, int line, String text, int column,
			List<Diagnostic> diagnostics) {
		int i = skipSpaces(text, column - 1 + "@response".length());
		int statusStart = i;
		while (i < text.length() && Character.isDigit(text.charAt(i))) {
			i++;
		}
		int status = (i - statusStart == 3 && (i == text.length() || Character.isWhitespace(text.charAt(i))))
				? Integer.parseInt(text.substring(statusStart, i)) : -1;
		if (status < 100 || status > 599) {
			diagnostics.add(Diagnostic.error(source, Span.of(line, statusStart + 1),
					"expected a status from 100 to 599 after @response"));
			return null;
		}
		i = skipSpaces(text, i);
		Optional<String> schema = Optional.empty();
		Span schemaSpan = Span.NONE;
		if (i < text.length() && text.charAt(i) == '{') {
			int end = objectEnd(text, i);
			if (end < 0) {
				diagnostics.add(Diagnostic.error(source, Span.of(line, i + 1),
						"the schema after @response " + status + " must be a JSON object on this line"));
				return null;
			}
			schema = Optional.of(text.substring(i, end));
			schemaSpan = Span.of(line, i + 1);
			i = skipSpaces(text, end);
		}
		return new Response(status, schema, schemaSpan, text.substring(i).strip(), Span.of(line, column));
	}

	/** {@code @query <name> [required] [text]}, starting at 1-based {@code column} of the line. */
	private static @Nullable QueryParameter query(SourceFile source, int line, String text, int column,
			List<Diagnostic> diagnostics) {
		int i = skipSpaces(text, column - 1 + "@query".length());
		int nameStart = i;
		while (i < text.length() && isNameChar(text.charAt(i))) {
			i++;
		}
		if (i == nameStart || (i < text.length() && !Character.isWhitespace(text.charAt(i)))) {
			diagnostics.add(Diagnostic.error(source, Span.of(line, nameStart + 1),
					"expected a query parameter name (letters, digits, '_', '-', '.') after @query"));
			return null;
		}
		String name = text.substring(nameStart, i);
		i = skipSpaces(text, i);
		boolean required = false;
		if (text.startsWith("required", i)
				&& (i + 8 == text.length() || Character.isWhitespace(text.charAt(i + 8)))) {
			required = true;
			i = skipSpaces(text, i + 8);
		}
		return new QueryParameter(name, required, text.substring(i).strip(), Span.of(line, column));
	}

	private static boolean isNameChar(char c) {
		return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
	}

	private static int skipSpaces(String text, int i) {
		while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
			i++;
		}
		return i;
	}

	/**
	 * The index after the {@code }} that closes the JSON object starting at {@code start}, or -1
	 * when the line ends first. Braces inside JSON strings do not count.
	 */
	private static int objectEnd(String text, int start) {
		int depth = 0;
		boolean inString = false;
		for (int i = start; i < text.length(); i++) {
			char c = text.charAt(i);
			if (inString) {
				if (c == '\\') {
					i++;
				}
				else if (c == '"') {
					inString = false;
				}
			}
			else if (c == '"') {
				inString = true;
			}
			else if (c == '{' || c == '[') {
				depth++;
			}
			else if (c == '}' || c == ']') {
				depth--;
				if (depth == 0) {
					return (c == '}') ? i + 1 : -1;
				}
			}
		}
		return -1;
	}

}
