package dev.webpipe.language;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of one {@code .wp} file and the name used for it in messages
 * (e.g. {@code routes/orders.wp}).
 */
public final class SourceFile {

	private final String name;

	private final String text;

	private final int[] lineStarts;

	public SourceFile(String name, String text) {
		this.name = name;
		this.text = text;
		List<Integer> starts = new ArrayList<>();
		starts.add(0);
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) == '\n') {
				starts.add(i + 1);
			}
		}
		this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
	}

	public String name() {
		return this.name;
	}

	public String text() {
		return this.text;
	}

	/** The text of a 1-based line, without its line terminator. */
	public String line(int line) {
		if (line < 1 || line > this.lineStarts.length) {
			return "";
		}
		int start = this.lineStarts[line - 1];
		int end = (line < this.lineStarts.length) ? this.lineStarts[line] - 1 : this.text.length();
		if (end > start && this.text.charAt(end - 1) == '\r') {
			end--;
		}
		return this.text.substring(start, Math.max(start, end));
	}

	@Override
	public String toString() {
		return this.name;
	}
}
