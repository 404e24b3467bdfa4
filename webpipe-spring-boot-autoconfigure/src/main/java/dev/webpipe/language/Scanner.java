package dev.webpipe.language;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The character cursor the parsers drive. It knows nothing of the grammar: the parser asks
 * for what it expects at each point (a word, a path run, the rest of a line, a string), so
 * context-sensitive rules stay in the parser.
 * <p>
 * Only the scanner moves its position by a count of characters: the parsers move it by tokens
 * ({@link #accept(String)}, {@link #acceptWord(String)}, {@link #expect(String)}, ...), by a
 * predicate ({@link #skipWhile(IntPredicate)}), or back to an index they read or saved
 * ({@link #reset(int)}).
 */
final class Scanner {

	private final String text;

	private final int[] lineStarts;

	/** Index of the next character. */
	private int pos;

	Scanner(String text) {
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

	String text() {
		return this.text;
	}

	/** The index of the next character. */
	int pos() {
		return this.pos;
	}

	/** Moves to {@code index}: a position saved with {@link #pos()} or one found by looking ahead. */
	void reset(int index) {
		this.pos = Math.max(0, Math.min(index, this.text.length()));
	}

	/** Moves to the end of the text. */
	void toEnd() {
		this.pos = this.text.length();
	}

	/** Moves past the next character, whatever it is (recovery only). */
	void skipChar() {
		if (!eof()) {
			this.pos++;
		}
	}

	/** Moves past {@code c} when it is the next character. */
	boolean accept(char c) {
		if (!eof() && peek() == c) {
			this.pos++;
			return true;
		}
		return false;
	}

	/** Moves past {@code token} when the text continues with it. */
	boolean accept(String token) {
		if (at(token)) {
			this.pos += token.length();
			return true;
		}
		return false;
	}

	/** Moves past {@code word} when it starts here as a whole word. */
	boolean acceptWord(String word) {
		if (atWord(word)) {
			this.pos += word.length();
			return true;
		}
		return false;
	}

	/** Moves past {@code c}, which the caller has seen is next. */
	void expect(char c) {
		if (!accept(c)) {
			throw new IllegalStateException("expected '" + c + "' at " + this.pos);
		}
	}

	/** Moves past {@code token}, which the caller has seen is next. */
	void expect(String token) {
		if (!accept(token)) {
			throw new IllegalStateException("expected '" + token + "' at " + this.pos);
		}
	}

	/** Moves past the whole word {@code word}, which the caller has seen is next. */
	void expectWord(String word) {
		if (!acceptWord(word)) {
			throw new IllegalStateException("expected '" + word + "' at " + this.pos);
		}
	}

	/** Moves past the characters that match {@code test}; returns the index where it started. */
	int skipWhile(IntPredicate test) {
		int start = this.pos;
		while (!eof() && test.test(peek())) {
			this.pos++;
		}
		return start;
	}

	int length() {
		return this.text.length();
	}

	boolean eof() {
		return this.pos >= this.text.length();
	}

	char peek() {
		return peek(0);
	}

	char peek(int offset) {
		int i = this.pos + offset;
		return (i >= 0 && i < this.text.length()) ? this.text.charAt(i) : '\0';
	}

	char charAt(int index) {
		return (index >= 0 && index < this.text.length()) ? this.text.charAt(index) : '\0';
	}

	boolean at(String s) {
		return this.text.startsWith(s, this.pos);
	}

	/** Whether {@code word} starts here as a whole word (the next character is not an ident_char). */
	boolean atWord(String word) {
		return atWord(this.pos, word);
	}

	boolean atWord(int index, String word) {
		return this.text.startsWith(word, index) && !isIdentChar(charAt(index + word.length()));
	}

	static boolean isIdentStart(char c) {
		return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
	}

	static boolean isDigit(int c) {
		return c >= '0' && c <= '9';
	}

	static boolean isIdentChar(char c) {
		return isIdentStart(c) || c == '-';
	}

	boolean atIdentStart() {
		return isIdentStart(peek());
	}

	/** The index just after the identifier starting at {@code index} ({@code index} itself when there is none). */
	int identEnd(int index) {
		if (!isIdentStart(charAt(index))) {
			return index;
		}
		int i = index + 1;
		while (i < this.text.length() && isIdentChar(this.text.charAt(i))) {
			i++;
		}
		return i;
	}

	/** Spaces and tabs (same line only). */
	void skipSp() {
		while (!eof() && (peek() == ' ' || peek() == '\t')) {
			this.pos++;
		}
	}

	/** Spaces, tabs, line breaks and comments. */
	void skipWs() {
		while (!eof()) {
			char c = peek();
			if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
				this.pos++;
			}
			else if (c == '#') {
				skipToLineEnd();
			}
			else {
				return;
			}
		}
	}

	/** Moves to the next {@code \n} (or the end of the text) without consuming it. */
	void skipToLineEnd() {
		while (!eof() && peek() != '\n') {
			this.pos++;
		}
	}

	/** Whether only a line break, a comment or the end of the text follows (after spaces). */
	boolean atLineEnd() {
		int i = this.pos;
		while (i < this.text.length() && (this.text.charAt(i) == ' ' || this.text.charAt(i) == '\t')) {
			i++;
		}
		char c = charAt(i);
		return i >= this.text.length() || c == '\n' || c == '\r' || c == '#';
	}

	/** The index of the end of the current line (its {@code \n}, or the end of the text). */
	int lineEnd(int index) {
		int end = this.text.indexOf('\n', index);
		return (end < 0) ? this.text.length() : end;
	}

	String substring(int start, int end) {
		return this.text.substring(start, end);
	}

	/** A short preview of the input at {@code index}, for "unexpected input" messages. */
	String preview(int index) {
		int end = index;
		while (end < this.text.length() && !Character.isWhitespace(this.text.charAt(end)) && end - index < 20) {
			end++;
		}
		String shown = this.text.substring(index, end);
		if (end < this.text.length() && !Character.isWhitespace(this.text.charAt(end))) {
			shown += "…";
		}
		return shown;
	}

	int line(int index) {
		int lo = 0;
		int hi = this.lineStarts.length - 1;
		while (lo < hi) {
			int mid = (lo + hi + 1) >>> 1;
			if (this.lineStarts[mid] <= index) {
				lo = mid;
			}
			else {
				hi = mid - 1;
			}
		}
		return lo + 1;
	}

	int column(int index) {
		return index - this.lineStarts[line(index) - 1] + 1;
	}

	Span span(int start, int end) {
		return new Span(line(start), column(start), line(end), column(end));
	}

	Span spanFrom(int start) {
		return span(start, this.pos);
	}

	Span point(int index) {
		return span(index, index);
	}

}
