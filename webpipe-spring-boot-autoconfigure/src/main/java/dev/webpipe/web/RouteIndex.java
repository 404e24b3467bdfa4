package dev.webpipe.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * A {@link RouterFunction} over many ordinary route functions whose lookup does not grow with
 * their number (docs/performance.md#routing). Each entry is indexed by its method and by the
 * literal segments of its Spring path pattern; a request is narrowed to the few entries whose
 * literal segments it has, and those are tried as they are, in their order. The index only ever
 * narrows: whether an entry matches, the matched pattern and the path variables stay the
 * business of the entry's own predicate, so routing behaves exactly as a plain chain of
 * {@code RouterFunctions.route(...)} would.
 */
final class RouteIndex implements RouterFunction<ServerResponse> {

	/** An entry: the methods it is indexed under ({@code null}: every method), its pattern and function. */
	record Entry(@Nullable List<String> methods, String pattern, RouterFunction<ServerResponse> function) {
	}

	private final List<RouterFunction<ServerResponse>> functions;

	/** One trie per method; the key {@code ""} holds entries for every method. */
	private final Map<String, Node> tries = new HashMap<>();

	private RouteIndex(List<Entry> entries) {
		this.functions = entries.stream().map(Entry::function).toList();
		for (int i = 0; i < entries.size(); i++) {
			Entry entry = entries.get(i);
			List<String> methods = (entry.methods() != null) ? entry.methods() : List.of("");
			for (String method : methods) {
				this.tries.computeIfAbsent(method, (key) -> new Node()).add(segments(entry.pattern()), 0, i);
			}
		}
	}

	/** An index over the entries, which are tried in the order given. */
	static RouterFunction<ServerResponse> of(List<Entry> entries) {
		if (entries.isEmpty()) {
			return (request) -> Mono.empty();
		}
		return new RouteIndex(entries);
	}

	@Override
	public Mono<HandlerFunction<ServerResponse>> route(ServerRequest request) {
		Node trie = this.tries.get(request.method().name());
		Node any = this.tries.get("");
		if (trie == null && any == null) {
			return Mono.empty();
		}
		List<String> segments = segments(request.requestPath().pathWithinApplication());
		Candidates candidates = new Candidates();
		if (trie != null) {
			trie.collect(segments, 0, candidates);
		}
		if (any != null) {
			any.collect(segments, 0, candidates);
		}
		return candidates.route(this.functions, request);
	}

	@Override
	public void accept(RouterFunctions.Visitor visitor) {
		for (RouterFunction<ServerResponse> function : this.functions) {
			function.accept(visitor);
		}
	}

	/**
	 * The segments of a Spring path pattern after its leading {@code /}: {@code /users/{id}}
	 * gives {@code [users, {id}]}, {@code /} gives {@code [""]}.
	 */
	static List<String> segments(String pattern) {
		String path = pattern.startsWith("/") ? pattern.substring(1) : pattern;
		return Arrays.asList(path.split("/", -1));
	}

	/** The decoded segments of a request path, in the same form as {@link #segments(String)}. */
	static List<String> segments(PathContainer path) {
		List<PathContainer.Element> elements = path.elements();
		List<String> segments = new ArrayList<>(elements.size() / 2 + 1);
		String current = "";
		boolean first = true;
		for (PathContainer.Element element : elements) {
			if (element instanceof PathContainer.PathSegment segment) {
				current = segment.valueToMatch();
			}
			else if (first) {
				current = "";
			}
			else {
				segments.add(current);
				current = "";
			}
			first = false;
		}
		segments.add(current);
		return segments;
	}

	/**
	 * Whether a pattern segment is plain text compared as it is; anything else (a variable, a
	 * wildcard, encoded text) is indexed as "any single segment", which only widens the candidates.
	 */
	private static boolean isLiteral(String segment) {
		for (int i = 0; i < segment.length(); i++) {
			char c = segment.charAt(i);
			if (c == '{' || c == '}' || c == '*' || c == '?' || c == '%' || c == ';') {
				return false;
			}
		}
		return true;
	}

	private static boolean isCatchAll(String segment) {
		return segment.startsWith("{*") || segment.equals("**");
	}

	/** A node of the segment trie. */
	private static final class Node {

		private final Map<String, Node> literals = new HashMap<>();

		private @Nullable Node variable;

		/** Entries whose pattern ends at this node. */
		private final List<Integer> ends = new ArrayList<>(1);

		/** Entries whose pattern continues with a catch-all here: they match any rest of the path. */
		private final List<Integer> rests = new ArrayList<>(1);

		void add(List<String> segments, int depth, int entry) {
			if (depth == segments.size()) {
				this.ends.add(entry);
				return;
			}
			String segment = segments.get(depth);
			if (isCatchAll(segment)) {
				this.rests.add(entry);
				return;
			}
			Node child;
			if (isLiteral(segment)) {
				child = this.literals.computeIfAbsent(segment, (key) -> new Node());
			}
			else {
				if (this.variable == null) {
					this.variable = new Node();
				}
				child = this.variable;
			}
			child.add(segments, depth + 1, entry);
		}

		/** Adds every entry that could match the path from {@code depth} on. */
		void collect(List<String> segments, int depth, Candidates candidates) {
			candidates.addAll(this.rests);
			if (depth == segments.size()) {
				candidates.addAll(this.ends);
				return;
			}
			Node literal = this.literals.get(segments.get(depth));
			if (literal != null) {
				literal.collect(segments, depth + 1, candidates);
			}
			if (this.variable != null) {
				this.variable.collect(segments, depth + 1, candidates);
			}
		}

	}

	/** The entries a request could match, tried in entry order. */
	private static final class Candidates {

		private int single = -1;

		private @Nullable List<Integer> many;

		void addAll(List<Integer> entries) {
			for (int entry : entries) {
				if (this.single < 0 && this.many == null) {
					this.single = entry;
				}
				else {
					if (this.many == null) {
						this.many = new ArrayList<>(4);
						this.many.add(this.single);
					}
					this.many.add(entry);
				}
			}
		}

		Mono<HandlerFunction<ServerResponse>> route(
				List<RouterFunction<ServerResponse>> functions, ServerRequest request) {
			if (this.many == null) {
				return (this.single < 0) ? Mono.empty() : functions.get(this.single).route(request);
			}
			List<Integer> ordered = this.many.stream().distinct().sorted().toList();
			Mono<HandlerFunction<ServerResponse>> result = Mono.empty();
			for (int i = ordered.size() - 1; i >= 0; i--) {
				RouterFunction<ServerResponse> function = functions.get(ordered.get(i));
				Mono<HandlerFunction<ServerResponse>> next = result;
				result = Mono.defer(() -> function.route(request)).switchIfEmpty(next);
			}
			return result;
		}

	}

}
