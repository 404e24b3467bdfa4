package dev.webpipe.language;

import java.util.ArrayList;
import java.util.List;

/**
 * What the two grammars of a {@code .wp} file share: the {@link Scanner}, the diagnostics of the
 * file (at most {@value #MAX_ERRORS} errors), the nesting budget, the lexical rules (identifiers,
 * strings) and error recovery. {@link Parser} reads the routes grammar, {@link TestParser} the
 * {@code describe}/{@code it} grammar; both read the same file through one instance of this state.
 */
abstract class SyntaxReader {

	/** At most this many errors are reported for one file; parsing stops there. */
	static final int MAX_ERRORS = 50;

	/**
	 * At most this many blocks may be open at once ({@code if}, {@code dispatch}, {@code foreach},
	 * {@code result} and tag groups in parentheses, counted together), so that no input can
	 * exhaust the stack of the parser or of what walks its trees (docs/language.md#nesting).
	 */
	static final int MAX_NESTING = 256;

	static final List<String> HTTP_METHODS = Keywords.HTTP_METHODS;

	static final List<String> TOP_KEYWORDS = Keywords.TOP_LEVEL;

	final SourceFile source;

	final Scanner s;

	private final Report report;

	SyntaxReader(SourceFile source) {
		this.source = source;
		this.s = new Scanner(source.text());
		this.report = new Report();
	}

	/** A reader of another grammar of the same file, sharing its position and its diagnostics. */
	SyntaxReader(SyntaxReader shared) {
		this.source = shared.source;
		this.s = shared.s;
		this.report = shared.report;
	}

	List<Diagnostic> diagnostics() {
		return this.report.diagnostics;
	}

	// ---------------------------------------------------------------- nesting

	/**
	 * Opens one level of nesting at {@code at} (the keyword or parenthesis of the block); past
	 * {@link #MAX_NESTING} the error is reported there and the rest of the file is skipped.
	 * Every call is paired with {@link #leave()} in a {@code finally}.
	 */
	void enter(int at) {
		this.report.depth++;
		if (this.report.depth > MAX_NESTING) {
			error(at, "blocks nested too deeply: at most " + MAX_NESTING + " levels of if, dispatch, foreach, "
					+ "result and tag groups");
			this.report.silenced = true;
			this.s.toEnd();
			throw new SyntaxError();
		}
	}

	void leave() {
		this.report.depth--;
	}

	// ---------------------------------------------------------------- lexical helpers

	Name identifier(String what) {
		int start = this.s.pos();
		int end = this.s.identEnd(start);
		if (end == start) {
			throw fail(start, unexpected(start, what));
		}
		this.s.reset(end);
		return new Name(this.s.substring(start, end), this.s.span(start, end));
	}

	/** A backtick, fenced or double-quoted string starting here. */
	StringLit string() {
		int start = this.s.pos();
		String text = this.s.text();
		if (this.s.accept("```")) {
			int close = text.indexOf("```", this.s.pos());
			if (close < 0) {
				throw unterminated(start, "fenced string is not closed");
			}
			this.s.reset(close);
			this.s.expect("```");
			return new StringLit(StringLit.Kind.FENCED, text.substring(start + 3, close), this.s.spanFrom(start));
		}
		char delimiter = this.s.peek();
		this.s.expect(delimiter);
		int close = text.indexOf(delimiter, this.s.pos());
		if (close < 0) {
			throw unterminated(start,
					(delimiter == '`') ? "unterminated backtick string" : "unterminated quoted string");
		}
		this.s.reset(close);
		this.s.expect(delimiter);
		StringLit.Kind kind = (delimiter == '`') ? StringLit.Kind.BACKTICK : StringLit.Kind.QUOTED;
		return new StringLit(kind, text.substring(start + 1, close), this.s.spanFrom(start));
	}

	void expectEquals() {
		this.s.skipWs();
		if (!this.s.accept('=')) {
			throw fail(this.s.pos(), unexpected(this.s.pos(), "'='"));
		}
	}

	// ---------------------------------------------------------------- top-level lookahead

	/** Whether a top-level item can start here (used for recovery and to end describe blocks). */
	boolean atTopLevelStart() {
		int start = this.s.pos();
		if (!this.s.atIdentStart()) {
			return false;
		}
		String word = this.s.substring(start, this.s.identEnd(start));
		if (TOP_KEYWORDS.contains(word) || HTTP_METHODS.contains(word)) {
			return true;
		}
		return looksLikeRoute() || looksLikeVariable(false);
	}

	/** {@code WORD /…} on one line. */
	boolean looksLikeRoute() {
		int end = this.s.identEnd(this.s.pos());
		if (end == this.s.pos()) {
			return false;
		}
		int i = end;
		while (this.s.charAt(i) == ' ' || this.s.charAt(i) == '\t') {
			i++;
		}
		return i > end && this.s.charAt(i) == '/';
	}

	/** {@code identifier identifier =}, followed by a backtick when {@code withString}. */
	boolean looksLikeVariable(boolean withString) {
		int save = this.s.pos();
		try {
			int end = this.s.identEnd(this.s.pos());
			if (end == this.s.pos()) {
				return false;
			}
			this.s.reset(end);
			this.s.skipWs();
			int nameEnd = this.s.identEnd(this.s.pos());
			if (nameEnd == this.s.pos()) {
				return false;
			}
			this.s.reset(nameEnd);
			this.s.skipWs();
			if (!this.s.accept('=')) {
				return false;
			}
			this.s.skipWs();
			return !withString || this.s.peek() == '`';
		}
		finally {
			this.s.reset(save);
		}
	}

	// ---------------------------------------------------------------- errors and recovery

	String unexpected(int at, String expected) {
		if (at >= this.s.length()) {
			return "unexpected end of file: expected " + expected;
		}
		return "unexpected input '" + this.s.preview(at) + "': expected " + expected;
	}

	/**
	 * Recovery: skips to the next line whose first token is a step ({@code |>}, when
	 * {@code steps}), a test item ({@code it}, when {@code tests}) or a top-level item. Strings
	 * are skipped whole, so their content never looks like a recovery point.
	 */
	void sync(boolean steps, boolean tests) {
		String text = this.s.text();
		if (atFirstTokenOfLine() && ((steps && this.s.at("|>")) || atTopLevelStart())) {
			return;
		}
		while (!this.s.eof()) {
			char c = this.s.peek();
			if (c == '\n') {
				this.s.expect('\n');
				this.s.skipSp();
				if ((steps && this.s.at("|>")) || (tests && this.s.atWord("it")) || atTopLevelStart()) {
					return;
				}
			}
			else if (c == '`' || c == '"') {
				String delimiter = this.s.at("```") ? "```" : String.valueOf(c);
				this.s.expect(delimiter);
				int close = text.indexOf(delimiter, this.s.pos());
				if (close < 0) {
					this.s.toEnd();
				}
				else {
					this.s.reset(close);
					this.s.expect(delimiter);
				}
			}
			else if (c == '#') {
				this.s.skipToLineEnd();
			}
			else {
				this.s.skipChar();
			}
		}
	}

	private boolean atFirstTokenOfLine() {
		int i = this.s.pos() - 1;
		while (i >= 0 && (this.s.charAt(i) == ' ' || this.s.charAt(i) == '\t')) {
			i--;
		}
		return i < 0 || this.s.charAt(i) == '\n';
	}

	private SyntaxError unterminated(int start, String message) {
		error(start, message);
		this.report.silenced = true;
		this.s.toEnd();
		return new SyntaxError();
	}

	SyntaxError fail(int at, String message) {
		error(at, message);
		return new SyntaxError();
	}

	void error(int at, String message) {
		error(this.s.point(at), message);
	}

	void error(Span span, String message) {
		if (this.report.silenced) {
			return;
		}
		this.report.diagnostics.add(Diagnostic.error(this.source, Span.of(span.line(), span.column()), message));
		this.report.errors++;
		if (this.report.errors >= MAX_ERRORS) {
			this.report.silenced = true;
			throw new Abort();
		}
	}

	void warning(int at, String message) {
		if (!this.report.silenced) {
			this.report.diagnostics.add(Diagnostic.warning(this.source, this.s.point(at), message));
		}
	}

	/** The diagnostics of one file and what limits them, shared by the readers of its grammars. */
	private static final class Report {

		final List<Diagnostic> diagnostics = new ArrayList<>();

		int errors;

		/** Set after an unterminated string (the rest of the file is its content) or at the error cap. */
		boolean silenced;

		/** Blocks open at the current position. */
		int depth;

	}

	/** Unwinds to the nearest recovery point; the diagnostic is already recorded. */
	static final class SyntaxError extends RuntimeException {

		SyntaxError() {
			super(null, null, false, false);
		}

	}

	/** Unwinds the whole parse once the error cap is reached. */
	static final class Abort extends RuntimeException {

		Abort() {
			super(null, null, false, false);
		}

	}

}
