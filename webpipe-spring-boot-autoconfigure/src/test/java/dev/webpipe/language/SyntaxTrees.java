package dev.webpipe.language;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Optional;

/**
 * Test support: a textual dump of a syntax tree without positions, so two trees can be
 * compared "ignoring spans" with a readable diff when they differ.
 */
final class SyntaxTrees {

	private SyntaxTrees() {
	}

	/** The tree below {@code node}, one record per line, skipping every {@link Span} and {@link SourceFile}. */
	static String withoutSpans(Object node) {
		StringBuilder out = new StringBuilder();
		dump(node, 0, out);
		return out.toString();
	}

	private static void dump(Object value, int depth, StringBuilder out) {
		String pad = "  ".repeat(depth);
		if (value instanceof Record record) {
			out.append(pad).append(record.getClass().getSimpleName()).append('\n');
			for (RecordComponent component : record.getClass().getRecordComponents()) {
				Class<?> type = component.getType();
				if (type == Span.class || type == SourceFile.class) {
					continue;
				}
				Object child = read(component, record);
				out.append(pad).append("  .").append(component.getName()).append(":\n");
				dump(child, depth + 2, out);
			}
		}
		else if (value instanceof List<?> list) {
			out.append(pad).append("[").append(list.size()).append("]\n");
			for (Object element : list) {
				dump(element, depth + 1, out);
			}
		}
		else if (value instanceof Optional<?> optional) {
			if (optional.isEmpty()) {
				out.append(pad).append("<empty>\n");
			}
			else {
				dump(optional.get(), depth, out);
			}
		}
		else if (value instanceof String text) {
			out.append(pad).append('"').append(text.replace("\n", "\\n")).append("\"\n");
		}
		else {
			out.append(pad).append(value).append('\n');
		}
	}

	private static Object read(RecordComponent component, Record record) {
		try {
			component.getAccessor().setAccessible(true);
			return component.getAccessor().invoke(record);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
