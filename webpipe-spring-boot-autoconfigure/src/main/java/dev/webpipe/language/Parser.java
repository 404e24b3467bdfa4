package dev.webpipe.language;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.webpipe.language.Step.Branch;
import dev.webpipe.language.Step.Case;
import dev.webpipe.language.TagExpr.Tag;
import dev.webpipe.language.TagExpr.TagArg;
import dev.webpipe.language.TestItem.Assertion;
import dev.webpipe.language.TestItem.Value;
import dev.webpipe.language.TestItem.ValueKind;
import dev.webpipe.language.TestItem.When;
import dev.webpipe.language.TopItem.ConfigProperty;
import dev.webpipe.language.TopItem.ConfigValue;

/**
 * The hand-written recursive-descent parser of {@code .wp} files (docs/language.md). It drives
 * its own scanner, so context-sensitive rules (paths, inline arguments, keywords) are read in the
 * mode the grammar expects at that point, and it reports every syntax error of a file in one
 * pass, recovering at the next step or top-level keyword. This class reads the routes grammar;
 * {@code describe} blocks are read by {@link TestParser}.
 */
public final class Parser extends SyntaxReader {

	/** Words that cannot name a step, a pipeline or a variable (docs/language.md#identifiers-and-keywords). */
	static final Set<String> RESERVED = Keywords.STEP;

	static final Set<String> KNOWN_TAGS = Set.of("env", "flag", "when", "guard", "async", "result", "error",
			"needs");

	static final Set<String> CONDITION_TAGS = Set.of("env", "flag", "when", "guard");

	static final Set<String> MODIFIER_TAGS = Set.of("async", "result", "error");

	private static final Pattern SELECTOR = Pattern.compile("\\.?[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

	private final TestParser tests;

	// Open blocks, innermost decides which tokens end a step line (docs/language.md#if-dispatch-and-foreach).
	private int openIfs;

	private int openDispatches;

	private int openForeachs;

	private int openResults;

	/** Whether the body read last had steps that failed to parse (then "no steps" is not reported). */
	private boolean lastBodyHadFailedSteps;

	private Parser(SourceFile source) {
		super(source);
		this.tests = new TestParser(this);
	}

	public static ParseResult parse(SourceFile source) {
		Parser parser = new Parser(source);
		Document document = parser.program();
		List<Diagnostic> sorted = new ArrayList<>(parser.diagnostics());
		sorted.sort(Comparator.comparingInt((Diagnostic d) -> d.span().line()).thenComparingInt(d -> d.span().column()));
		return new ParseResult(document, sorted);
	}

	// ---------------------------------------------------------------- program

	private Document program() {
		List<TopItem> items = new ArrayList<>();
		boolean afterFailure = false;
		try {
			while (true) {
				this.s.skipWs();
				if (this.s.eof()) {
					break;
				}
				if (afterFailure && atBlockLabel()) {
					// the rest of a block whose opening failed: already reported, skipped silently
					sync(false, false);
					continue;
				}
				int start = this.s.pos();
				try {
					this.lastBodyHadFailedSteps = false;
					TopItem item = topItem();
					if (item != null) {
						items.add(item);
					}
					afterFailure = this.lastBodyHadFailedSteps;
				}
				catch (SyntaxError ex) {
					afterFailure = true;
					sync(false, false);
				}
				if (this.s.pos() == start) {
					this.s.skipChar();
					sync(false, false);
				}
			}
		}
		catch (Abort ex) {
			// too many errors: what was read so far is kept
		}
		return new Document(this.source, items, this.s.span(0, this.s.length()));
	}

	/** {@code case}, {@code default:}, {@code else:}, {@code then:} or {@code end} as a whole word. */
	private boolean atBlockLabel() {
		return this.s.atWord("case") || this.s.atWord("end") || this.s.at("default:") || this.s.at("else:")
				|| this.s.at("then:");
	}

	private @Nullable TopItem topItem() {
		int start = this.s.pos();
		String word = this.s.atIdentStart() ? this.s.substring(start, this.s.identEnd(start)) : "";
		boolean keyword = TOP_KEYWORDS.contains(word) || HTTP_METHODS.contains(word);
		if (keyword && looksLikeVariable(true)) {
			error(start, "'" + word + "' is reserved");
			variable();
			return null;
		}
		switch (word) {
			case "config":
				return configBlock();
			case "import":
				return importDecl();
			case "featureFlags":
				return featureFlags();
			case "graphqlSchema":
				return graphqlSchema();
			case "query":
			case "mutation":
				return operationResolver();
			case "resolver":
				return typeResolver();
			case "pipeline":
				return namedPipeline();
			case "describe":
				return this.tests.describe();
			default:
				break;
		}
		if (HTTP_METHODS.contains(word) || looksLikeRoute()) {
			return route();
		}
		if (looksLikeVariable(false)) {
			return variable();
		}
		throw fail(start, unexpected(start, "config, import, pipeline, a variable, a route or describe"));
	}

	// ---------------------------------------------------------------- top-level items

	private TopItem configBlock() {
		int start = this.s.pos();
		this.s.expectWord("config");
		this.s.skipWs();
		Name name = identifier("a config block name");
		this.s.skipWs();
		int open = this.s.pos();
		if (!this.s.accept('{')) {
			throw fail(this.s.pos(), "malformed config block '" + name.text() + "': expected '{'");
		}
		List<ConfigProperty> properties = new ArrayList<>();
		while (true) {
			this.s.skipWs();
			if (this.s.eof()) {
				error(open, "malformed config block '" + name.text() + "': missing '}'");
				break;
			}
			if (this.s.accept('}')) {
				break;
			}
			if (!this.s.atIdentStart()) {
				error(this.s.pos(), "malformed config block '" + name.text() + "': expected a property name or '}'");
				skipConfigLine();
				continue;
			}
			ConfigProperty property = configProperty(name);
			if (property != null) {
				properties.add(property);
			}
		}
		return new TopItem.ConfigBlock(name, properties, this.s.spanFrom(start));
	}

	private @Nullable ConfigProperty configProperty(Name block) {
		int start = this.s.pos();
		Name key = identifier("a property name");
		this.s.skipWs();
		if (!this.s.accept(':')) {
			error(this.s.pos(), "malformed config block '" + block.text() + "': expected ':' after '" + key.text() + "'");
			skipConfigLine();
			return null;
		}
		this.s.skipWs();
		ConfigValue value = configValue(key);
		if (value == null) {
			skipConfigLine();
			return null;
		}
		return new ConfigProperty(key, value, this.s.spanFrom(start));
	}

	private @Nullable ConfigValue configValue(Name key) {
		int start = this.s.pos();
		if (this.s.peek() == '$' && Scanner.isIdentStart(this.s.peek(1))) {
			this.s.expect('$');
			Name env = identifier("an environment variable name");
			Optional<ConfigValue.Literal> fallback = Optional.empty();
			int mark = this.s.pos();
			this.s.skipWs();
			if (this.s.accept("||")) {
				this.s.skipWs();
				ConfigValue.Literal literal = configLiteral();
				if (literal == null) {
					error(this.s.pos(), "invalid config value for '" + key.text() + "'");
					return null;
				}
				fallback = Optional.of(literal);
			}
			else {
				this.s.reset(mark);
			}
			return new ConfigValue.EnvRef(env, fallback, this.s.spanFrom(start));
		}
		ConfigValue.Literal literal = configLiteral();
		if (literal == null) {
			error(start, "invalid config value for '" + key.text() + "'");
		}
		return literal;
	}

	private ConfigValue.@Nullable Literal configLiteral() {
		int start = this.s.pos();
		if (this.s.peek() == '"') {
			StringLit lit = string();
			return new ConfigValue.Literal(ConfigValue.LiteralKind.STRING, lit.content(), lit.span());
		}
		for (String word : List.of("true", "false")) {
			if (this.s.acceptWord(word)) {
				return new ConfigValue.Literal(ConfigValue.LiteralKind.BOOLEAN, word, this.s.spanFrom(start));
			}
		}
		int i = start;
		if (this.s.charAt(i) == '-') {
			i++;
		}
		int digits = i;
		while (Scanner.isDigit(this.s.charAt(i))) {
			i++;
		}
		if (i > digits && !Scanner.isIdentChar(this.s.charAt(i)) && this.s.charAt(i) != '.') {
			this.s.reset(i);
			return new ConfigValue.Literal(ConfigValue.LiteralKind.INTEGER, this.s.substring(start, i),
					this.s.spanFrom(start));
		}
		return null;
	}

	/** Recovery inside a config block: skip to the end of the line, stopping before a closing brace. */
	private void skipConfigLine() {
		this.s.skipWhile((c) -> c != '\n' && c != '}');
	}

	private TopItem importDecl() {
		int start = this.s.pos();
		this.s.expectWord("import");
		this.s.skipWs();
		if (this.s.peek() != '"') {
			throw fail(this.s.pos(), unexpected(this.s.pos(), "a double-quoted path"));
		}
		StringLit path = string();
		this.s.skipWs();
		if (!this.s.acceptWord("as")) {
			throw fail(this.s.pos(), unexpected(this.s.pos(), "'as'"));
		}
		this.s.skipWs();
		Name alias = identifier("an alias name");
		return new TopItem.Import(path, alias, this.s.spanFrom(start));
	}

	private TopItem featureFlags() {
		int start = this.s.pos();
		this.s.expectWord("featureFlags");
		expectEquals();
		Pipeline body = pipelineBody(null);
		if (hasNoSteps(body)) {
			error(start, "expected '|>' step after 'featureFlags ='");
		}
		return new TopItem.FeatureFlags(body, false, this.s.spanFrom(start));
	}

	private TopItem graphqlSchema() {
		int start = this.s.pos();
		this.s.expectWord("graphqlSchema");
		expectEquals();
		this.s.skipWs();
		if (this.s.peek() != '`') {
			throw fail(this.s.pos(), unexpected(this.s.pos(), "a backtick string"));
		}
		StringLit schema = string();
		return new TopItem.GraphqlSchema(schema, this.s.spanFrom(start));
	}

	private TopItem operationResolver() {
		int start = this.s.pos();
		TopItem.Operation operation = this.s.atWord("query") ? TopItem.Operation.QUERY : TopItem.Operation.MUTATION;
		this.s.expectWord(operation.keyword());
		this.s.skipWs();
		Name name = identifier("a field name");
		expectEquals();
		Pipeline body = pipelineBody(null);
		if (hasNoSteps(body)) {
			error(start, "expected '|>' step after '" + operation.keyword() + " " + name.text() + " ='");
		}
		return new TopItem.OperationResolver(operation, name, body, this.s.spanFrom(start));
	}

	private TopItem typeResolver() {
		int start = this.s.pos();
		this.s.expectWord("resolver");
		this.s.skipWs();
		Name type = identifier("a type name");
		if (!this.s.accept('.')) {
			throw fail(this.s.pos(), unexpected(this.s.pos(), "'.' and a field name"));
		}
		Name field = identifier("a field name");
		expectEquals();
		Pipeline body = pipelineBody(null);
		if (hasNoSteps(body)) {
			error(start, "expected '|>' step after 'resolver " + type.text() + "." + field.text() + " ='");
		}
		return new TopItem.TypeResolver(type, field, body, this.s.spanFrom(start));
	}

	private TopItem namedPipeline() {
		int start = this.s.pos();
		this.s.expectWord("pipeline");
		this.s.skipWs();
		Name name = identifier("a pipeline name");
		checkNotReserved(name);
		expectEquals();
		Pipeline body = pipelineBody(null);
		if (hasNoSteps(body)) {
			error(start, "expected '|>' step after 'pipeline " + name.text() + " ='");
		}
		if (name.text().equals("featureFlags")) {
			return new TopItem.FeatureFlags(body, true, this.s.spanFrom(start));
		}
		return new TopItem.NamedPipeline(name, body, this.s.spanFrom(start));
	}

	private TopItem variable() {
		int start = this.s.pos();
		Name type = identifier("a variable type");
		if (RESERVED.contains(type.text())) {
			error(type.span(), "'" + type.text() + "' is reserved");
		}
		this.s.skipWs();
		Name name = identifier("a variable name");
		checkNotReserved(name);
		expectEquals();
		this.s.skipWs();
		if (this.s.peek() != '`') {
			throw fail(this.s.pos(), unexpected(this.s.pos(), "a backtick string"));
		}
		StringLit value = string();
		return new TopItem.Variable(type, name, value, this.s.spanFrom(start));
	}

	private @Nullable TopItem route() {
		int start = this.s.pos();
		Name method = identifier("an HTTP method");
		boolean known = HTTP_METHODS.contains(method.text());
		if (!known) {
			error(method.span(), "unknown HTTP method '" + method.text() + "'");
		}
		this.s.skipSp();
		if (this.s.peek() != '/') {
			throw fail(this.s.pos(), "route path must start with '/'");
		}
		TopItem.Path path = path();
		Pipeline body = pipelineBody(null);
		if (hasNoSteps(body)) {
			error(start, "expected '|>' step after '" + method.text() + " " + path.text() + "'");
		}
		return known ? new TopItem.Route(method, path, body, this.s.spanFrom(start)) : null;
	}

	/** A route path: everything up to the next whitespace (docs/language.md#routes-and-paths). */
	private TopItem.Path path() {
		int start = this.s.skipWhile((c) -> " \t\r\n".indexOf(c) < 0);
		String text = this.s.substring(start, this.s.pos());
		TopItem.Path path = new TopItem.Path(text, this.s.spanFrom(start));
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if ("?#{}".indexOf(c) >= 0) {
				error(start + i, "route path must not contain '" + c + "'");
				return path;
			}
		}
		String[] segments = text.split("/", -1);
		int offset = 0;
		for (int i = 0; i < segments.length; i++) {
			String segment = segments[i];
			if (segment.startsWith(":") || segment.startsWith("*")) {
				boolean named = segment.length() > 1 && Scanner.isIdentStart(segment.charAt(1))
						&& this.s.identEnd(start + offset + 1) == start + offset + segment.length();
				if (!named) {
					error(start + offset, "invalid route path segment '" + segment + "'");
				}
				else if (segment.startsWith("*") && i != segments.length - 1) {
					error(start + offset, "invalid route path segment '" + segment + "': a catch-all must be the last segment");
				}
			}
			offset += segment.length() + 1;
		}
		return path;
	}

	private boolean hasNoSteps(Pipeline body) {
		return body.isEmpty() && !this.lastBodyHadFailedSteps;
	}

	private void checkNotReserved(Name name) {
		if (RESERVED.contains(name.text())) {
			error(name.span(), "'" + name.text() + "' is reserved");
		}
	}

	// ---------------------------------------------------------------- pipelines and steps

	/** The label a pipeline body hangs under, for warning 22. */
	private record Label(String text, Span span) {
	}

	private Pipeline pipelineBody(@Nullable Label label) {
		int start = this.s.pos();
		List<Step> steps = new ArrayList<>();
		boolean failed = false;
		int end = start;
		while (true) {
			int mark = this.s.pos();
			this.s.skipWs();
			if (this.s.peek() == '@' && !steps.isEmpty()) {
				error(this.s.pos(), "unexpected input '" + this.s.preview(this.s.pos())
						+ "': tags must follow their step on the same line");
				sync(true, false);
				continue;
			}
			if (!this.s.at("|>")) {
				this.s.reset(mark);
				break;
			}
			int stepStart = this.s.pos();
			if (steps.isEmpty()) {
				start = stepStart;
			}
			if (label != null && this.s.line(stepStart) > label.span().line()
					&& this.s.column(stepStart) < label.span().column()) {
				warning(stepStart,
						"step at column " + this.s.column(stepStart) + " is parsed into branch '" + label.text()
								+ "' opened at " + label.span().line() + ":" + label.span().column());
			}
			try {
				steps.add(step());
				end = this.s.pos();
			}
			catch (SyntaxError ex) {
				failed = true;
				sync(true, false);
				end = this.s.pos();
			}
		}
		this.lastBodyHadFailedSteps = failed;
		return new Pipeline(steps, this.s.span(start, Math.max(start, end)));
	}

	private Step step() {
		int start = this.s.pos();
		this.s.expect("|>");
		int afterBar = this.s.pos();
		this.s.skipWs();
		if (this.s.eof() || (this.s.line(this.s.pos()) > this.s.line(afterBar) && atTopLevelStart())) {
			throw fail(start, "expected a step name after '|>'");
		}
		boolean block = this.s.atWord("result") || this.s.atWord("if") || this.s.atWord("dispatch")
				|| this.s.atWord("foreach");
		if (!block) {
			return regularStep(start);
		}
		enter(this.s.pos());
		try {
			if (this.s.atWord("result")) {
				return resultStep(start);
			}
			if (this.s.atWord("if")) {
				return ifStep(start);
			}
			if (this.s.atWord("dispatch")) {
				return dispatchStep(start);
			}
			return foreachStep(start);
		}
		finally {
			leave();
		}
	}

	private Step regularStep(int start) {
		Name name = identifier("a step name");
		checkNotReserved(name);
		Optional<InlineArgs> args = Optional.empty();
		if (this.s.peek() == '(') {
			args = Optional.of(inlineArgs(name));
		}
		Optional<StepConfig> config = Optional.empty();
		int mark = this.s.pos();
		this.s.skipWs();
		if (this.s.peek() == ':' && this.s.peek(1) != ':') {
			this.s.expect(':');
			this.s.skipWs();
			config = Optional.of(stepConfig());
		}
		else {
			this.s.reset(mark);
		}
		List<TagExpr> tags = stepTags();
		int end = this.s.pos();
		endOfStep();
		checkTags(tags, false);
		return new Step.Regular(name, args, config, tags, this.s.span(start, end));
	}

	private StepConfig stepConfig() {
		char c = this.s.peek();
		if (c == '`' || c == '"') {
			return string();
		}
		if (this.s.atIdentStart()) {
			int start = this.s.pos();
			Name first = identifier("an identifier");
			if (this.s.at("::") && Scanner.isIdentStart(this.s.peek(2))) {
				this.s.expect("::");
				Name name = identifier("an identifier");
				return new StepConfig.Reference(Optional.of(first), name, this.s.spanFrom(start));
			}
			return new StepConfig.Reference(Optional.empty(), first, this.s.spanFrom(start));
		}
		throw fail(this.s.pos(), unexpected(this.s.pos(), "a string or identifier"));
	}

	/** After a step only a comment, a line break, the next step or a block token may follow. */
	private void endOfStep() {
		int mark = this.s.pos();
		if (this.s.atLineEnd()) {
			return;
		}
		this.s.skipSp();
		if (this.s.at("|>") || atBlockToken()) {
			this.s.reset(mark);
			return;
		}
		throw fail(this.s.pos(), unexpected(this.s.pos(), "a tag, comment or new line"));
	}

	/** A token that ends the body of an open block (docs/language.md#if-dispatch-and-foreach). */
	private boolean atBlockToken() {
		if (this.openIfs > 0 && (this.s.at("then:") || this.s.at("else:") || this.s.atWord("end"))) {
			return true;
		}
		if (this.openDispatches > 0 && (this.s.atWord("case") || this.s.at("default:") || this.s.atWord("end"))) {
			return true;
		}
		if (this.openForeachs > 0 && this.s.atWord("end")) {
			return true;
		}
		return this.openResults > 0 && atBranchLabel();
	}

	/** {@code identifier(digits):} with no whitespace inside. */
	private boolean atBranchLabel() {
		int i = this.s.identEnd(this.s.pos());
		if (i == this.s.pos() || this.s.charAt(i) != '(') {
			return false;
		}
		i++;
		int digits = i;
		while (this.s.charAt(i) >= '0' && this.s.charAt(i) <= '9') {
			i++;
		}
		return i > digits && this.s.charAt(i) == ')' && this.s.charAt(i + 1) == ':';
	}

	/** Inline arguments, found and split as docs/language.md#inline-arguments says. */
	private InlineArgs inlineArgs(Name step) {
		int open = this.s.pos();
		int close = -1;
		int depth = 0;
		boolean inString = false;
		boolean escape = false;
		for (int i = open + 1; i < this.s.length(); i++) {
			char c = this.s.charAt(i);
			if (escape) {
				escape = false;
			}
			else if (c == '\\' && inString) {
				escape = true;
			}
			else if (c == '"') {
				inString = !inString;
			}
			else if (!inString && c == '(') {
				depth++;
			}
			else if (!inString && c == ')') {
				if (depth == 0) {
					close = i;
					break;
				}
				depth--;
			}
		}
		if (close < 0) {
			this.s.reset(open);
			this.s.expect('(');
			throw fail(open, "unclosed '(' in inline arguments of '" + step.text() + "'");
		}
		List<InlineArgs.Arg> args = new ArrayList<>();
		depth = 0;
		inString = false;
		escape = false;
		int argStart = open + 1;
		for (int i = open + 1; i <= close; i++) {
			char c = this.s.charAt(i);
			boolean separator = (i == close);
			if (!separator) {
				if (escape) {
					escape = false;
				}
				else if (c == '\\' && inString) {
					escape = true;
				}
				else if (c == '"') {
					inString = !inString;
				}
				else if (!inString) {
					if (c == '(' || c == '[' || c == '{') {
						depth++;
					}
					else if (c == ')' || c == ']' || c == '}') {
						depth--;
					}
					else if (c == ',' && depth == 0) {
						separator = true;
					}
				}
			}
			if (separator) {
				int from = argStart;
				int to = i;
				while (from < to && this.s.charAt(from) <= ' ') {
					from++;
				}
				while (to > from && this.s.charAt(to - 1) <= ' ') {
					to--;
				}
				if (from == to) {
					if (i != close) {
						error(i, "empty inline argument");
					}
				}
				else {
					args.add(new InlineArgs.Arg(this.s.substring(from, to), this.s.span(from, to)));
				}
				argStart = i + 1;
			}
		}
		this.s.reset(close);
		this.s.expect(')');
		return new InlineArgs(this.s.substring(open + 1, close), args, this.s.span(open, close + 1));
	}

	// ---------------------------------------------------------------- tags

	private List<TagExpr> stepTags() {
		List<TagExpr> groups = new ArrayList<>();
		while (true) {
			int mark = this.s.pos();
			this.s.skipSp();
			char c = this.s.peek();
			if (c == '@' || c == '(') {
				groups.add(tagExpr());
			}
			else {
				this.s.reset(mark);
				return groups;
			}
		}
	}

	private TagExpr tagExpr() {
		int start = this.s.pos();
		List<TagExpr> operands = new ArrayList<>();
		operands.add(tagAnd());
		while (true) {
			int mark = this.s.pos();
			this.s.skipWs();
			if (this.s.acceptWord("or")) {
				this.s.skipWs();
				operands.add(tagAnd());
			}
			else {
				this.s.reset(mark);
				break;
			}
		}
		return (operands.size() == 1) ? operands.get(0) : new TagExpr.Or(operands, this.s.spanFrom(start));
	}

	private TagExpr tagAnd() {
		int start = this.s.pos();
		List<TagExpr> operands = new ArrayList<>();
		operands.add(tagPrimary());
		while (true) {
			int mark = this.s.pos();
			this.s.skipWs();
			if (this.s.acceptWord("and")) {
				this.s.skipWs();
				operands.add(tagPrimary());
			}
			else {
				this.s.reset(mark);
				break;
			}
		}
		return (operands.size() == 1) ? operands.get(0) : new TagExpr.And(operands, this.s.spanFrom(start));
	}

	private TagExpr tagPrimary() {
		int start = this.s.pos();
		if (this.s.peek() == '@') {
			return tag();
		}
		if (this.s.accept('(')) {
			enter(start);
			try {
				this.s.skipWs();
				TagExpr inner = tagExpr();
				this.s.skipWs();
				if (!this.s.accept(')')) {
					throw fail(this.s.pos(), unexpected(this.s.pos(), "')' to close the tag group"));
				}
				return new TagExpr.Group(inner, this.s.spanFrom(start));
			}
			finally {
				leave();
			}
		}
		throw fail(start, unexpected(start, "a tag"));
	}

	private Tag tag() {
		int start = this.s.pos();
		this.s.expect('@');
		boolean negated = this.s.accept('!');
		Name name = identifier("a tag name");
		List<TagArg> args = new ArrayList<>();
		if (this.s.accept('(')) {
			this.s.skipWs();
			if (!this.s.accept(')')) {
				while (true) {
					args.add(tagArg());
					this.s.skipWs();
					if (this.s.accept(',')) {
						this.s.skipWs();
					}
					else if (this.s.accept(')')) {
						break;
					}
					else {
						throw fail(this.s.pos(), unexpected(this.s.pos(), "',' or ')' in the arguments of @" + name.text()));
					}
				}
			}
		}
		return new Tag(negated, name, args, this.s.spanFrom(start));
	}

	private TagArg tagArg() {
		int start = this.s.pos();
		if (this.s.peek() == '`') {
			StringLit lit = string();
			return new TagArg(true, lit.content(), lit.span());
		}
		if (this.s.atIdentStart()) {
			Name name = identifier("a tag argument");
			return new TagArg(false, name.text(), name.span());
		}
		throw fail(start, unexpected(start, "an identifier or a backtick string"));
	}

	/** The syntax checks of error 12 for the tag groups of a step, or the expression of a case. */
	private void checkTags(List<TagExpr> groups, boolean inCase) {
		Set<String> seen = new HashSet<>();
		for (TagExpr group : groups) {
			List<TagExpr> conjuncts = (group instanceof TagExpr.And and) ? and.operands() : List.of(group);
			for (TagExpr conjunct : conjuncts) {
				if (conjunct instanceof Tag tag && MODIFIER_TAGS.contains(tag.name().text()) && !inCase
						&& !seen.add(tag.name().text())) {
					error(tag.span(), "duplicate @" + tag.name().text());
				}
			}
			checkTagTree(group, true, inCase);
		}
	}

	private void checkTagTree(TagExpr expr, boolean topLevel, boolean inCase) {
		if (expr instanceof Tag tag) {
			checkTag(tag, topLevel, inCase);
		}
		else if (expr instanceof TagExpr.And and) {
			and.operands().forEach(operand -> checkTagTree(operand, topLevel, inCase));
		}
		else if (expr instanceof TagExpr.Or or) {
			or.operands().forEach(operand -> checkTagTree(operand, false, inCase));
		}
		else if (expr instanceof TagExpr.Group group) {
			checkTagTree(group.inner(), false, inCase);
		}
	}

	private void checkTag(Tag tag, boolean topLevel, boolean inCase) {
		String name = tag.name().text();
		Span at = tag.span();
		if (!KNOWN_TAGS.contains(name)) {
			error(at, "unknown tag '@" + name + "'" + Suggestions.closest(name, KNOWN_TAGS)
				.map((known) -> ": did you mean '@" + known + "'?")
				.orElse(""));
			return;
		}
		if (inCase && !CONDITION_TAGS.contains(name)) {
			error(at, "@" + name + " is not allowed in case expressions");
			return;
		}
		if (tag.negated() && !CONDITION_TAGS.contains(name)) {
			error(at, "@" + name + " cannot be negated");
		}
		long identifiers = tag.args().stream().filter(arg -> !arg.backtick()).count();
		int count = tag.args().size();
		switch (name) {
			case "env", "async", "result", "error" -> {
				if (count != 1 || identifiers != 1) {
					error(at, "@" + name + " takes exactly one identifier");
				}
			}
			case "flag", "when", "needs" -> {
				if (count == 0 || identifiers != count) {
					error(at, "@" + name + " takes one or more identifiers");
				}
			}
			case "guard" -> {
				if (count != 1 || identifiers != 0) {
					error(at, "@guard takes exactly one backtick string");
				}
			}
			default -> {
			}
		}
		if (MODIFIER_TAGS.contains(name) && !topLevel) {
			error(at, "@" + name + " must be a top-level condition of the step (not under 'or' or parentheses)");
		}
	}

	// ---------------------------------------------------------------- control flow

	private Step resultStep(int start) {
		int keyword = this.s.pos();
		this.s.expectWord("result");
		List<Branch> branches = new ArrayList<>();
		Set<String> types = new HashSet<>();
		this.openResults++;
		try {
			while (true) {
				int mark = this.s.pos();
				this.s.skipWs();
				int labelEnd = this.s.identEnd(this.s.pos());
				if (labelEnd > this.s.pos() && this.s.charAt(labelEnd) == '(') {
					branches.add(resultBranch(types));
				}
				else if (labelEnd > this.s.pos() && !atBlockWord() && !atTopLevelStart()) {
					throw fail(this.s.pos(), "result branch must look like name(status):");
				}
				else {
					this.s.reset(mark);
					break;
				}
			}
		}
		finally {
			this.openResults--;
		}
		if (branches.isEmpty()) {
			error(keyword, "result block has no branches");
		}
		return new Step.Result(branches, this.s.spanFrom(start));
	}

	/** A word that ends a block: {@code then: else: default: end case}. */
	private boolean atBlockWord() {
		return this.s.at("then:") || this.s.at("else:") || this.s.at("default:") || this.s.atWord("end")
				|| this.s.atWord("case");
	}

	private Branch resultBranch(Set<String> types) {
		int start = this.s.pos();
		Name type = identifier("a branch name");
		this.s.expect('(');
		int digits = this.s.skipWhile(Scanner::isDigit);
		String number = this.s.substring(digits, this.s.pos());
		if (number.isEmpty() || !this.s.accept("):")) {
			throw fail(start, "result branch must look like name(status):");
		}
		int status = (number.length() > 3) ? 0 : Integer.parseInt(number);
		if (status < 100 || status > 599) {
			error(digits, "invalid HTTP status " + number + " (100..599)");
		}
		if (!types.add(type.text())) {
			error(type.span(), "duplicate result branch '" + type.text() + "'");
		}
		Pipeline body = pipelineBody(new Label(type.text(), type.span()));
		return new Branch(type, status, body, this.s.spanFrom(start));
	}

	private Step ifStep(int start) {
		int keyword = this.s.pos();
		this.s.expectWord("if");
		this.openIfs++;
		try {
			Pipeline condition = pipelineBody(null);
			if (hasNoSteps(condition)) {
				error(keyword, "expected '|>' step after 'if'");
			}
			this.s.skipWs();
			if (!this.s.at("then:")) {
				throw fail(this.s.pos(), "'then:' expected after if-condition");
			}
			int thenStart = this.s.pos();
			this.s.expect("then:");
			Span thenLabel = this.s.spanFrom(thenStart);
			Pipeline then = pipelineBody(new Label("then", thenLabel));
			Optional<Pipeline> otherwise = Optional.empty();
			int mark = this.s.pos();
			this.s.skipWs();
			int elseStart = this.s.pos();
			if (this.s.accept("else:")) {
				Span elseLabel = this.s.spanFrom(elseStart);
				otherwise = Optional.of(pipelineBody(new Label("else", elseLabel)));
			}
			else {
				this.s.reset(mark);
			}
			boolean closed = consumeEnd();
			return new Step.If(condition, then, otherwise, closed, this.s.spanFrom(start));
		}
		finally {
			this.openIfs--;
		}
	}

	private boolean consumeEnd() {
		int mark = this.s.pos();
		this.s.skipWs();
		if (this.s.acceptWord("end")) {
			return true;
		}
		this.s.reset(mark);
		return false;
	}

	private Step dispatchStep(int start) {
		int keyword = this.s.pos();
		this.s.expectWord("dispatch");
		this.openDispatches++;
		try {
			List<Case> cases = new ArrayList<>();
			while (true) {
				int mark = this.s.pos();
				this.s.skipWs();
				if (this.s.atWord("case")) {
					cases.add(caseBranch());
				}
				else {
					this.s.reset(mark);
					break;
				}
			}
			Optional<Pipeline> otherwise = Optional.empty();
			int mark = this.s.pos();
			this.s.skipWs();
			int labelStart = this.s.pos();
			if (this.s.accept("default:")) {
				Span label = this.s.spanFrom(labelStart);
				otherwise = Optional.of(pipelineBody(new Label("default", label)));
			}
			else {
				this.s.reset(mark);
			}
			if (cases.isEmpty() && otherwise.isEmpty()) {
				error(keyword, "dispatch needs at least one case or default");
			}
			boolean closed = consumeEnd();
			return new Step.Dispatch(cases, otherwise, closed, this.s.spanFrom(start));
		}
		finally {
			this.openDispatches--;
		}
	}

	private Case caseBranch() {
		int start = this.s.pos();
		this.s.expectWord("case");
		Span caseLabel = this.s.spanFrom(start);
		this.s.skipWs();
		if (this.s.peek() != '@' && this.s.peek() != '(') {
			throw fail(this.s.pos(), "case needs a tag expression followed by ':'");
		}
		TagExpr condition = tagExpr();
		this.s.skipWs();
		if (this.s.peek() == '@' || this.s.peek() == '(') {
			throw fail(this.s.pos(), "case takes one tag expression: join its tags with 'and' or 'or'");
		}
		if (!this.s.accept(':')) {
			throw fail(this.s.pos(), "case needs a tag expression followed by ':'");
		}
		checkTags(List.of(condition), true);
		Pipeline body = pipelineBody(new Label("case", caseLabel));
		return new Case(condition, body, this.s.spanFrom(start));
	}

	private Step foreachStep(int start) {
		int keyword = this.s.pos();
		this.s.expectWord("foreach");
		this.s.skipSp();
		int lineEnd = this.s.pos();
		while (lineEnd < this.s.length() && this.s.charAt(lineEnd) != '\n' && this.s.charAt(lineEnd) != '#') {
			lineEnd++;
		}
		int from = this.s.pos();
		int to = lineEnd;
		while (to > from && this.s.charAt(to - 1) <= ' ') {
			to--;
		}
		String text = this.s.substring(from, to);
		Step.Selector selector = new Step.Selector(text, this.s.span(from, to));
		if (text.isEmpty()) {
			error(keyword, "foreach needs a selector");
		}
		else if (!SELECTOR.matcher(text).matches()) {
			error(from, "invalid foreach selector '" + text + "'");
		}
		this.s.reset(lineEnd);
		this.openForeachs++;
		Pipeline body;
		try {
			body = pipelineBody(null);
		}
		finally {
			this.openForeachs--;
		}
		if (!consumeEnd()) {
			int mark = this.s.pos();
			this.s.skipWs();
			error(this.s.pos(), "'end' expected to close foreach started at " + this.s.line(start) + ":"
					+ this.s.column(start));
			this.s.reset(mark);
		}
		return new Step.Foreach(selector, body, this.s.spanFrom(start));
	}

}
