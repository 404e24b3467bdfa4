package dev.webpipe.language;

import java.util.List;

/** One parsed {@code .wp} file: its top-level items in source order. */
public record Document(SourceFile source, List<TopItem> items, Span span) implements Node {

	public Document {
		items = List.copyOf(items);
	}

	public String file() {
		return this.source.name();
	}

	public <T extends TopItem> List<T> itemsOf(Class<T> type) {
		return this.items.stream().filter(type::isInstance).map(type::cast).toList();
	}
}
