package dev.webpipe.compile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import dev.webpipe.language.Span;
import dev.webpipe.language.StepConfig;
import dev.webpipe.language.StringLit;
import dev.webpipe.middleware.Json;

/**
 * The task list of a {@code join} (docs/concurrency.md#join): a comma list or a JSON array of names,
 * each optionally followed by {@code ?}; parsed once at load time, each name with its position.
 */
final class JoinList {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");

	/**
	 * One name of the list.
	 *
	 * @param name the task name
	 * @param optional whether it was written {@code name?}
	 * @param span where the name is written
	 */
	record Item(String name, boolean optional, Span span) {
	}

	/**
	 * The parsed list, or the error that makes it invalid.
	 *
	 * @param items the names in written order
	 * @param error the message of error 30, or {@code null}
	 * @param errorSpan where the error is
	 */
	record Parsed(List<Item> items, @Nullable String error, @Nullable Span errorSpan) {
	}

	private JoinList() {
	}

	static Parsed parse(StepConfig config) {
		if (config instanceof StepConfig.Reference reference) {
			String text = reference.text();
			return check(List.of(new Raw(text, reference.span())), reference.span());
		}
		StringLit literal = (StringLit) config;
		String content = literal.content();
		String trimmed = content.trim();
		List<Raw> raws = new ArrayList<>();
		if (trimmed.startsWith("[")) {
			JsonNode array;
			try {
				array = Json.parse(trimmed);
			}
			catch (RuntimeException ex) {
				return new Parsed(List.of(), "join: invalid JSON array", literal.span());
			}
			if (!array.isArray()) {
				return new Parsed(List.of(), "join: invalid JSON array", literal.span());
			}
			int searchFrom = 0;
			for (JsonNode element : array) {
				if (!element.isTextual()) {
					return new Parsed(List.of(), "join: invalid JSON array", literal.span());
				}
				String item = element.asText().trim();
				int offset = content.indexOf(item, searchFrom);
				searchFrom = Math.max(searchFrom, offset + 1);
				raws.add(new Raw(item, position(literal, Math.max(offset, 0))));
			}
		}
		else {
			int start = 0;
			for (int i = 0; i <= content.length(); i++) {
				if (i == content.length() || content.charAt(i) == ',') {
					String part = content.substring(start, i);
					String item = part.trim();
					if (!item.isEmpty()) {
						int offset = start + part.indexOf(item);
						raws.add(new Raw(item, position(literal, offset)));
					}
					start = i + 1;
				}
			}
		}
		return check(raws, literal.span());
	}

	private static Parsed check(List<Raw> raws, Span listSpan) {
		if (raws.isEmpty()) {
			return new Parsed(List.of(), "join: task list is empty", listSpan);
		}
		List<Item> items = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (Raw raw : raws) {
			boolean optional = raw.text().endsWith("?");
			String name = optional ? raw.text().substring(0, raw.text().length() - 1) : raw.text();
			if (!NAME.matcher(name).matches()) {
				return new Parsed(List.of(), "join: invalid task name '" + raw.text() + "'", raw.span());
			}
			if (!seen.add(name)) {
				return new Parsed(List.of(), "join: task '" + name + "' listed twice", raw.span());
			}
			items.add(new Item(name, optional, raw.span()));
		}
		return new Parsed(items, null, null);
	}

	/** The position of a content offset inside a string literal. */
	static Span position(StringLit literal, int offset) {
		int line = literal.span().line();
		int column = literal.span().column() + literal.delimiterLength();
		String content = literal.content();
		for (int i = 0; i < offset && i < content.length(); i++) {
			if (content.charAt(i) == '\n') {
				line++;
				column = 1;
			}
			else {
				column++;
			}
		}
		return Span.of(line, column);
	}

	private record Raw(String text, Span span) {
	}

}
