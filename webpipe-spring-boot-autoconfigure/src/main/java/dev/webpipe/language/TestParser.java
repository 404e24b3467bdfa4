package dev.webpipe.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.webpipe.language.TestItem.Assertion;
import dev.webpipe.language.TestItem.Value;
import dev.webpipe.language.TestItem.ValueKind;
import dev.webpipe.language.TestItem.When;

/**
 * The {@code describe}/{@code it} grammar of {@code .wp} files (docs/testing.md). {@link Parser}
 * hands over at the {@code describe} keyword; a describe block ends where a top-level item
 * starts.
 */
final class TestParser extends SyntaxReader {

	private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

	TestParser(SyntaxReader shared) {
		super(shared);
	}

	TopItem describe() {
		int start = this.s.pos();
		this.s.expectWord("describe");
		this.s.skipWs();
		if (this.s.peek() != '"') {
			throw fail(this.s.pos(), "describe/it name must be a double-quoted string");
		}
		StringLit name = string();
		List<TestItem> items = new ArrayList<>();
		while (true) {
			int mark = this.s.pos();
			this.s.skipWs();
			if (this.s.eof()) {
				this.s.reset(mark);
				break;
			}
			try {
				if (this.s.atWord("let")) {
					items.add(let());
				}
				else if (atMock()) {
					items.add(mock());
				}
				else if (this.s.atWord("it")) {
					items.add(it());
				}
				else if (atTopLevelStart()) {
					this.s.reset(mark);
					break;
				}
				else {
					throw fail(this.s.pos(), unexpected(this.s.pos(), "let, with mock or it"));
				}
			}
			catch (SyntaxError ex) {
				sync(false, true);
			}
			if (this.s.pos() <= mark) {
				this.s.reset(mark);
				this.s.skipChar();
				sync(false, true);
			}
		}
		return new TopItem.Describe(name, items, this.s.spanFrom(start));
	}

	/** {@code with mock}, {@code and mock} or {@code and with mock}. */
	private boolean atMock() {
		int save = this.s.pos();
		try {
			if (this.s.acceptWord("and")) {
				this.s.skipSp();
				if (this.s.acceptWord("with")) {
					this.s.skipSp();
				}
				return this.s.atWord("mock");
			}
			if (this.s.acceptWord("with")) {
				this.s.skipSp();
				return this.s.atWord("mock");
			}
			return false;
		}
		finally {
			this.s.reset(save);
		}
	}

	private boolean atWith() {
		int save = this.s.pos();
		try {
			if (this.s.acceptWord("and")) {
				this.s.skipSp();
			}
			return this.s.atWord("with");
		}
		finally {
			this.s.reset(save);
		}
	}

	private TestItem.Let let() {
		int start = this.s.pos();
		this.s.expectWord("let");
		this.s.skipWs();
		Name name = identifier("a variable name");
		expectEquals();
		this.s.skipWs();
		int at = this.s.pos();
		Value value;
		char c = this.s.peek();
		if (c == '`' || c == '"') {
			StringLit lit = string();
			value = new Value(lit.kind() == StringLit.Kind.QUOTED ? ValueKind.QUOTED : ValueKind.BACKTICK,
					lit.content(), lit.span());
		}
		else {
			int end = at;
			while (end < this.s.length() && !Character.isWhitespace(this.s.charAt(end))
					&& this.s.charAt(end) != '#') {
				end++;
			}
			String word = this.s.substring(at, end);
			if (!word.equals("null") && !word.equals("true") && !word.equals("false")
					&& !NUMBER.matcher(word).matches()) {
				throw fail(at, unexpected(at, "a let value (backtick or quoted string, null, true, false or a number)"));
			}
			this.s.reset(end);
			value = new Value(ValueKind.RAW, word, this.s.spanFrom(at));
		}
		return new TestItem.Let(name, value, this.s.spanFrom(start));
	}

	private TestItem.Mock mock() {
		int start = this.s.pos();
		if (this.s.acceptWord("and")) {
			this.s.skipSp();
		}
		if (this.s.acceptWord("with")) {
			this.s.skipSp();
		}
		this.s.expectWord("mock");
		this.s.skipWs();
		TestItem.MockTarget target = mockTarget();
		this.s.skipWs();
		if (!this.s.acceptWord("returning")) {
			throw fail(this.s.pos(), unexpected(this.s.pos(), "'returning'"));
		}
		this.s.skipWs();
		if (this.s.peek() != '`') {
			throw fail(this.s.pos(), unexpected(this.s.pos(), "a backtick string"));
		}
		StringLit returning = string();
		return new TestItem.Mock(target, returning, this.s.spanFrom(start));
	}

	private TestItem.MockTarget mockTarget() {
		int start = this.s.pos();
		Name kind = identifier("a mock target");
		String k = kind.text();
		int mark = this.s.pos();
		if ((k.equals("pipeline") || k.equals("query") || k.equals("mutation")) && this.s.peek() != '.') {
			this.s.skipSp();
			if (this.s.atIdentStart() && !this.s.atWord("returning")) {
				Name name = identifier("a name");
				return new TestItem.MockTarget(kind, Optional.of(name), this.s.spanFrom(start));
			}
			this.s.reset(mark);
		}
		if (this.s.accept('.')) {
			int nameStart = this.s.pos();
			identifier("a name");
			if (this.s.at("::") && Scanner.isIdentStart(this.s.peek(2))) {
				this.s.expect("::");
				identifier("a name");
			}
			Name name = new Name(this.s.substring(nameStart, this.s.pos()), this.s.spanFrom(nameStart));
			return new TestItem.MockTarget(kind, Optional.of(name), this.s.spanFrom(start));
		}
		return new TestItem.MockTarget(kind, Optional.empty(), this.s.spanFrom(start));
	}

	private TestItem.It it() {
		int start = this.s.pos();
		this.s.expectWord("it");
		this.s.skipWs();
		if (this.s.peek() != '"') {
			throw fail(this.s.pos(), "describe/it name must be a double-quoted string");
		}
		StringLit name = string();
		List<TestItem> setup = new ArrayList<>();
		while (true) {
			int mark = this.s.pos();
			this.s.skipWs();
			if (this.s.atWord("let")) {
				setup.add(let());
			}
			else if (atMock()) {
				setup.add(mock());
			}
			else if (atWith()) {
				setup.add(withClause());
			}
			else {
				this.s.reset(mark);
				break;
			}
		}
		this.s.skipWs();
		if (!this.s.atWord("when")) {
			throw fail(this.s.pos(), "'when' clause expected in it \"" + name.content() + "\"");
		}
		When when = whenClause();
		List<TestItem> inputs = new ArrayList<>();
		while (true) {
			int mark = this.s.pos();
			this.s.skipWs();
			if (atMock()) {
				inputs.add(mock());
			}
			else if (atWith()) {
				inputs.add(withClause());
			}
			else {
				this.s.reset(mark);
				break;
			}
		}
		List<Assertion> assertions = new ArrayList<>();
		while (true) {
			int mark = this.s.pos();
			this.s.skipWs();
			if ((this.s.atWord("then") || this.s.atWord("and")) && !atMock() && !atWith()) {
				assertions.add(assertion());
			}
			else {
				this.s.reset(mark);
				break;
			}
		}
		return new TestItem.It(name, setup, when, inputs, assertions, this.s.spanFrom(start));
	}

	private TestItem.With withClause() {
		int start = this.s.pos();
		if (this.s.acceptWord("and")) {
			this.s.skipSp();
		}
		this.s.expectWord("with");
		this.s.skipWs();
		TestItem.WithKind kind = null;
		for (TestItem.WithKind candidate : TestItem.WithKind.values()) {
			if (this.s.acceptWord(candidate.name().toLowerCase(Locale.ROOT))) {
				kind = candidate;
				break;
			}
		}
		if (kind == null) {
			throw fail(this.s.pos(), unexpected(this.s.pos(), "input, body, headers, cookies or mock"));
		}
		this.s.skipWs();
		if (this.s.peek() != '`') {
			throw fail(this.s.pos(), unexpected(this.s.pos(), "a backtick string"));
		}
		StringLit value = string();
		return new TestItem.With(kind, value, this.s.spanFrom(start));
	}

	private When whenClause() {
		int start = this.s.pos();
		this.s.expectWord("when");
		this.s.skipWs();
		if (this.s.acceptWord("calling")) {
			this.s.skipWs();
			Name method = identifier("an HTTP method");
			if (!HTTP_METHODS.contains(method.text())) {
				error(method.span(), "unknown HTTP method '" + method.text() + "'");
			}
			this.s.skipSp();
			if (this.s.peek() != '/') {
				throw fail(this.s.pos(), "route path must start with '/'");
			}
			int from = this.s.pos();
			int to = this.s.lineEnd(from);
			while (to > from && this.s.charAt(to - 1) <= ' ') {
				to--;
			}
			this.s.reset(to);
			return new When.Calling(method, this.s.substring(from, to), this.s.spanFrom(start));
		}
		if (this.s.acceptWord("executing")) {
			this.s.skipWs();
			if (this.s.acceptWord("pipeline")) {
				this.s.skipWs();
				Name pipeline = identifier("a pipeline name");
				return new When.ExecutingPipeline(pipeline, this.s.spanFrom(start));
			}
			if (this.s.acceptWord("variable")) {
				this.s.skipWs();
				Name type = identifier("a variable type");
				this.s.skipWs();
				Name name = identifier("a variable name");
				return new When.ExecutingVariable(type, name, this.s.spanFrom(start));
			}
			throw fail(this.s.pos(), unexpected(this.s.pos(), "pipeline or variable"));
		}
		throw fail(this.s.pos(), unexpected(this.s.pos(), "calling or executing"));
	}

	private Assertion assertion() {
		int start = this.s.pos();
		if (!this.s.acceptWord("then")) {
			this.s.expectWord("and");
		}
		this.s.skipSp();
		if (this.s.acceptWord("status")) {
			this.s.skipSp();
			if (phrase("in") != null) {
				int from = integer();
				if (!this.s.accept("..")) {
					throw malformed("expected '..' in a status range");
				}
				int to = integer();
				return new Assertion.Status(from, to, true, this.s.spanFrom(start));
			}
			if (phrase("is", "equals") == null) {
				throw malformed("expected 'is', 'equals' or 'in' after status");
			}
			int status = integer();
			return new Assertion.Status(status, status, false, this.s.spanFrom(start));
		}
		if (this.s.acceptWord("contentType")) {
			this.s.skipSp();
			if (phrase("is", "equals") == null) {
				throw malformed("expected 'is' or 'equals' after contentType");
			}
			if (this.s.peek() != '"') {
				throw malformed("expected a double-quoted content type");
			}
			StringLit type = string();
			return new Assertion.ContentType(type.content(), this.s.spanFrom(start));
		}
		if (this.s.acceptWord("output")) {
			this.s.skipSp();
			Optional<StringLit> jq = Optional.empty();
			if (this.s.peek() == '`') {
				jq = Optional.of(string());
				this.s.skipSp();
			}
			Assertion.Op op = op();
			Value value = value();
			return new Assertion.Output(jq, op, value, this.s.spanFrom(start));
		}
		if (this.s.acceptWord("header")) {
			this.s.skipSp();
			if (this.s.peek() != '"' && this.s.peek() != '`') {
				throw malformed("expected the header name as a string");
			}
			StringLit name = string();
			this.s.skipSp();
			Assertion.Op op = op();
			Value value = value();
			return new Assertion.Header(name, op, value, this.s.spanFrom(start));
		}
		if (this.s.acceptWord("selector")) {
			return selectorAssertion(start);
		}
		if (this.s.acceptWord("call")) {
			this.s.skipSp();
			if (!this.s.atWord("query") && !this.s.atWord("mutation") && !this.s.atWord("pipeline")) {
				throw malformed("expected query, mutation or pipeline after call");
			}
			Name kind = identifier("query, mutation or pipeline");
			this.s.skipSp();
			Name name = identifier("a name");
			this.s.skipSp();
			if (phrase("with arguments", "with") == null) {
				throw malformed("expected 'with' after the call target");
			}
			Value value = value();
			return new Assertion.Call(kind, name, value, this.s.spanFrom(start));
		}
		throw malformed("expected status, contentType, output, header, selector or call");
	}

	/** The rest of a {@code selector} assertion, after the keyword. */
	private Assertion selectorAssertion(int start) {
		this.s.skipSp();
		if (this.s.peek() != '"' && this.s.peek() != '`') {
			throw malformed("expected the selector as a string");
		}
		StringLit selector = string();
		this.s.skipSp();
		if (phrase("exists") != null) {
			return new Assertion.Selector(selector, Assertion.SelectorCheck.EXISTS, Optional.empty(), Optional.empty(),
					Optional.empty(), this.s.spanFrom(start));
		}
		if (phrase("does not exist") != null) {
			return new Assertion.Selector(selector, Assertion.SelectorCheck.NOT_EXISTS, Optional.empty(),
					Optional.empty(), Optional.empty(), this.s.spanFrom(start));
		}
		if (phrase("text") != null) {
			String operator = phrase("equals", "is", "contains", "matches");
			if (operator == null) {
				throw malformed("expected equals, is, contains or matches after text");
			}
			Value value = value();
			return new Assertion.Selector(selector, Assertion.SelectorCheck.TEXT, Optional.empty(),
					Optional.of(operator), Optional.of(value), this.s.spanFrom(start));
		}
		if (phrase("count") != null) {
			String operator = phrase("is greater than", "is less than", "greater than", "less than", "equals", "is");
			if (operator == null) {
				throw malformed("expected equals, is, greater than or less than after count");
			}
			int at = this.s.pos();
			int count = integer();
			Value value = new Value(ValueKind.RAW, String.valueOf(count), this.s.spanFrom(at));
			return new Assertion.Selector(selector, Assertion.SelectorCheck.COUNT, Optional.empty(),
					Optional.of(operator), Optional.of(value), this.s.spanFrom(start));
		}
		if (phrase("attribute") != null) {
			if (this.s.peek() != '"' && this.s.peek() != '`') {
				throw malformed("expected the attribute name as a string");
			}
			StringLit attribute = string();
			this.s.skipSp();
			String operator = phrase("does not equal", "does not contain", "does not match", "equals", "is",
					"contains", "matches");
			if (operator == null) {
				throw malformed("expected a comparison after the attribute name");
			}
			Value value = value();
			return new Assertion.Selector(selector, Assertion.SelectorCheck.ATTRIBUTE, Optional.of(attribute),
					Optional.of(operator), Optional.of(value), this.s.spanFrom(start));
		}
		throw malformed("expected exists, does not exist, text, count or attribute after the selector");
	}

	private Assertion.Op op() {
		String word = phrase("equals", "contains", "matches");
		if (word == null) {
			throw malformed("expected equals, contains or matches");
		}
		return Assertion.Op.valueOf(word.toUpperCase(Locale.ROOT));
	}

	/**
	 * Reads the first of the given phrases (words separated by spaces on one line) that is
	 * written here, followed by spaces; returns it in canonical spelling or {@code null}.
	 */
	private @Nullable String phrase(String... phrases) {
		for (String phrase : phrases) {
			int save = this.s.pos();
			boolean matched = true;
			for (String word : phrase.split(" ")) {
				this.s.skipSp();
				if (!this.s.acceptWord(word)) {
					matched = false;
					break;
				}
			}
			if (matched) {
				this.s.skipSp();
				return phrase;
			}
			this.s.reset(save);
		}
		return null;
	}

	private int integer() {
		this.s.skipSp();
		int start = this.s.pos();
		this.s.accept('-');
		this.s.skipWhile(Scanner::isDigit);
		String text = this.s.substring(start, this.s.pos());
		if (text.isEmpty() || text.equals("-") || text.length() > 9) {
			this.s.reset(start);
			throw malformed("expected an integer");
		}
		return Integer.parseInt(text);
	}

	/** An assertion value: backtick, quoted, {@code $name} or the rest of the line. */
	private Value value() {
		this.s.skipSp();
		int start = this.s.pos();
		char c = this.s.peek();
		if (c == '`' || c == '"') {
			StringLit lit = string();
			return new Value(lit.kind() == StringLit.Kind.QUOTED ? ValueKind.QUOTED : ValueKind.BACKTICK,
					lit.content(), lit.span());
		}
		int end = this.s.lineEnd(start);
		while (end > start && this.s.charAt(end - 1) <= ' ') {
			end--;
		}
		if (end == start) {
			throw malformed("expected a value");
		}
		String text = this.s.substring(start, end);
		this.s.reset(end);
		if (c == '$' && this.s.identEnd(start + 1) == end && end > start + 1) {
			return new Value(ValueKind.VARIABLE, text.substring(1), this.s.span(start, end));
		}
		return new Value(ValueKind.RAW, text, this.s.span(start, end));
	}

	private SyntaxError malformed(String detail) {
		return fail(this.s.pos(), "malformed assertion: " + detail);
	}

}
