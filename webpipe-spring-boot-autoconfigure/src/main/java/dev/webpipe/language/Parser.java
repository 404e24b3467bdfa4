package dev.webpipe.language;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

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
 * The hand-written recursive-descent parser of {@code .wp} files (grammar.md). It drives its
 * own scanner, so context-sensitive rules (paths, inline arguments, keywords) are read in the
 * mode the grammar expects at that point, and it reports every syntax error of a file in one
 * pass, recovering at the next step or top-level keyword.
 */
public final class Parser {

	/** At most this many errors are reported for one file; parsing stops there. */
	static final int MAX_ERRORS = 50;

	static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");

	static final List<String> TOP_KEYWORDS = List.of("config", "import", "featureFlags", "graphqlSchema", "query",
			"mutation", "resolver", "pipeline", "describe");

	/** Words that cannot name a step, a pipeline or a variable (grammar.md §1.2, error 19). */
	static final Set<String> RESERVED = Set.of("result", "if", "dispatch", "foreach", "end", "case");

	static final Set<String> KNOWN_TAGS = Set.of("env", "flag", "when", "guard", "async", "result", "error",
			"needs");

	static final Set<String> CONDITION_TAGS = Set.of("env", "flag", "when", "guard");

	static final Set<String> MODIFIER_TAGS = Set.of("async", "result", "error");

	private static final Pattern SELECTOR = Pattern.compile("\\.?[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

	private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

	private final SourceFile source;

	private final Scanner s;

	private final List<Diagnostic> diagnostics = new ArrayList<>();

	private int errors;

	/** Set after an unterminated string: the rest of the file is its content, nothing more is reported. */
	private boolean silenced;

	// Open blocks, innermost decides which tokens end a step line (grammar.md §5).
	private int openIfs;

	private int openDispatches;

	private int openForeachs;

	private int openResults;

	/** Whether the body read last had steps that failed to parse (then "no steps" is not reported). */
	private boolean lastBodyHadFailedSteps;

	private Parser(SourceFile source) {
		this.source = source;
		this.s = new Scanner(source.text());
	}

	public static ParseResult parse(SourceFile source) {
		Parser parser = new Parser(source);
		Document document = parser.program();
		List<Diagnostic> sorted = new ArrayList<>(parser.diagnostics);
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
				int start = this.s.pos;
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
				if (this.s.pos == start) {
					this.s.pos++;
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

	private TopItem topItem() {
		int start = this.s.pos;
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
				return describe();
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

	/** {@code WORD /…} on one line. */
	private boolean looksLikeRoute() {
		int end = this.s.identEnd(this.s.pos);
		if (end == this.s.pos) {
			return false;
		}
		int i = end;
		while (this.s.charAt(i) == ' ' || this.s.charAt(i) == '\t') {
			i++;
		}
		return i > end && this.s.charAt(i) == '/';
	}

	/** {@code identifier identifier =}, followed by a backtick when {@code withString}. */
	private boolean looksLikeVariable(boolean withString) {
		int save = this.s.pos;
		try {
			int end = this.s.identEnd(this.s.pos);
			if (end == this.s.pos) {
				return false;
			}
			this.s.pos = end;
			this.s.skipWs();
			int nameEnd = this.s.identEnd(this.s.pos);
			if (nameEnd == this.s.pos) {
				return false;
			}
			this.s.pos = nameEnd;
			this.s.skipWs();
			if (this.s.peek() != '=') {
				return false;
			}
			this.s.pos++;
			this.s.skipWs();
			return !withString || this.s.peek() == '`';
		}
		finally {
			this.s.pos = save;
		}
	}

	/** Whether a top-level item can start here (used for recovery and to end describe blocks). */
	private boolean atTopLevelStart() {
		int start = this.s.pos;
		if (!this.s.atIdentStart()) {
			return false;
		}
		String word = this.s.substring(start, this.s.identEnd(start));
		if (TOP_KEYWORDS.contains(word) || HTTP_METHODS.contains(word)) {
			return true;
		}
		return looksLikeRoute() || looksLikeVariable(false);
	}

	// ---------------------------------------------------------------- top-level items

	private TopItem configBlock() {
		int start = this.s.pos;
		this.s.pos += "config".length();
		this.s.skipWs();
		Name name = identifier("a config block name");
		this.s.skipWs();
		if (this.s.peek() != '{') {
			throw fail(this.s.pos, "malformed config block '" + name.text() + "': expected '{'");
		}
		int open = this.s.pos;
		this.s.pos++;
		List<ConfigProperty> properties = new ArrayList<>();
		while (true) {
			this.s.skipWs();
			if (this.s.eof()) {
				error(open, "malformed config block '" + name.text() + "': missing '}'");
				break;
			}
			if (this.s.peek() == '}') {
				this.s.pos++;
				break;
			}
			if (!this.s.atIdentStart()) {
				error(this.s.pos, "malformed config block '" + name.text() + "': expected a property name or '}'");
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

	private ConfigProperty configProperty(Name block) {
		int start = this.s.pos;
		Name key = identifier("a property name");
		this.s.skipWs();
		if (this.s.peek() != ':') {
			error(this.s.pos, "malformed config block '" + block.text() + "': expected ':' after '" + key.text() + "'");
			skipConfigLine();
			return null;
		}
		this.s.pos++;
		this.s.skipWs();
		ConfigValue value = configValue(key);
		if (value == null) {
			skipConfigLine();
			return null;
		}
		return new ConfigProperty(key, value, this.s.spanFrom(start));
	}

	private ConfigValue configValue(Name key) {
		int start = this.s.pos;
		if (this.s.peek() == '$' && Scanner.isIdentStart(this.s.peek(1))) {
			this.s.pos++;
			Name env = identifier("an environment variable name");
			Optional<ConfigValue.Literal> fallback = Optional.empty();
			int mark = this.s.pos;
			this.s.skipWs();
			if (this.s.at("||")) {
				this.s.pos += 2;
				this.s.skipWs();
				ConfigValue.Literal literal = configLiteral();
				if (literal == null) {
					error(this.s.pos, "invalid config value for '" + key.text() + "'");
					return null;
				}
				fallback = Optional.of(literal);
			}
			else {
				this.s.pos = mark;
			}
			return new ConfigValue.EnvRef(env, fallback, this.s.spanFrom(start));
		}
		ConfigValue.Literal literal = configLiteral();
		if (literal == null) {
			error(start, "invalid config value for '" + key.text() + "'");
		}
		return literal;
	}

	private ConfigValue.Literal configLiteral() {
		int start = this.s.pos;
		if (this.s.peek() == '"') {
			StringLit lit = string();
			return new ConfigValue.Literal(ConfigValue.LiteralKind.STRING, lit.content(), lit.span());
		}
		for (String word : List.of("true", "false")) {
			if (this.s.atWord(word)) {
				this.s.pos += word.length();
				return new ConfigValue.Literal(ConfigValue.LiteralKind.BOOLEAN, word, this.s.spanFrom(start));
			}
		}
		int i = start;
		if (this.s.charAt(i) == '-') {
			i++;
		}
		int digits = i;
		while (Character.isDigit(this.s.charAt(i)) && this.s.charAt(i) < 128) {
			i++;
		}
		if (i > digits && !Scanner.isIdentChar(this.s.charAt(i)) && this.s.charAt(i) != '.') {
			this.s.pos = i;
			return new ConfigValue.Literal(ConfigValue.LiteralKind.INTEGER, this.s.substring(start, i),
					this.s.spanFrom(start));
		}
		return null;
	}

	/** Recovery inside a config block: skip to the end of the line, stopping before a closing brace. */
	private void skipConfigLine() {
		while (!this.s.eof() && this.s.peek() != '\n' && this.s.peek() != '}') {
			this.s.pos++;
		}
	}

	private TopItem importDecl() {
		int start = this.s.pos;
		this.s.pos += "import".length();
		this.s.skipWs();
		if (this.s.peek() != '"') {
			throw fail(this.s.pos, unexpected(this.s.pos, "a double-quoted path"));
		}
		StringLit path = string();
		this.s.skipWs();
		if (!this.s.atWord("as")) {
			throw fail(this.s.pos, unexpected(this.s.pos, "'as'"));
		}
		this.s.pos += 2;
		this.s.skipWs();
		Name alias = identifier("an alias name");
		return new TopItem.Import(path, alias, this.s.spanFrom(start));
	}

	private TopItem featureFlags() {
		int start = this.s.pos;
		this.s.pos += "featureFlags".length();
		expectEquals();
		Pipeline body = pipelineBody(null);
		if (hasNoSteps(body)) {
			error(start, "expected '|>' step after 'featureFlags ='");
		}
		return new TopItem.FeatureFlags(body, false, this.s.spanFrom(start));
	}

	private TopItem graphqlSchema() {
		int start = this.s.pos;
		this.s.pos += "graphqlSchema".length();
		expectEquals();
		this.s.skipWs();
		if (this.s.peek() != '`') {
			throw fail(this.s.pos, unexpected(this.s.pos, "a backtick string"));
		}
		StringLit schema = string();
		return new TopItem.GraphqlSchema(schema, this.s.spanFrom(start));
	}

	private TopItem operationResolver() {
		int start = this.s.pos;
		TopItem.Operation operation = this.s.atWord("query") ? TopItem.Operation.QUERY : TopItem.Operation.MUTATION;
		this.s.pos += operation.keyword().length();
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
		int start = this.s.pos;
		this.s.pos += "resolver".length();
		this.s.skipWs();
		Name type = identifier("a type name");
		if (this.s.peek() != '.') {
			throw fail(this.s.pos, unexpected(this.s.pos, "'.' and a field name"));
		}
		this.s.pos++;
		Name field = identifier("a field name");
		expectEquals();
		Pipeline body = pipelineBody(null);
		if (hasNoSteps(body)) {
			error(start, "expected '|>' step after 'resolver " + type.text() + "." + field.text() + " ='");
		}
		return new TopItem.TypeResolver(type, field, body, this.s.spanFrom(start));
	}

	private TopItem namedPipeline() {
		int start = this.s.pos;
		this.s.pos += "pipeline".length();
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
		int start = this.s.pos;
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
			throw fail(this.s.pos, unexpected(this.s.pos, "a backtick string"));
		}
		StringLit value = string();
		return new TopItem.Variable(type, name, value, this.s.spanFrom(start));
	}

	private TopItem route() {
		int start = this.s.pos;
		Name method = identifier("an HTTP method");
		boolean known = HTTP_METHODS.contains(method.text());
		if (!known) {
			error(method.span(), "unknown HTTP method '" + method.text() + "'");
		}
		this.s.skipSp();
		if (this.s.peek() != '/') {
			throw fail(this.s.pos, "route path must start with '/'");
		}
		TopItem.Path path = path();
		Pipeline body = pipelineBody(null);
		if (hasNoSteps(body)) {
			error(start, "expected '|>' step after '" + method.text() + " " + path.text() + "'");
		}
		return known ? new TopItem.Route(method, path, body, this.s.spanFrom(start)) : null;
	}

	/** A route path: everything up to the next whitespace (grammar.md §2.4). */
	private TopItem.Path path() {
		int start = this.s.pos;
		while (!this.s.eof() && " \t\r\n".indexOf(this.s.peek()) < 0) {
			this.s.pos++;
		}
		String text = this.s.substring(start, this.s.pos);
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

	private void expectEquals() {
		this.s.skipWs();
		if (this.s.peek() != '=') {
			throw fail(this.s.pos, unexpected(this.s.pos, "'='"));
		}
		this.s.pos++;
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

	private Pipeline pipelineBody(Label label) {
		int start = this.s.pos;
		List<Step> steps = new ArrayList<>();
		boolean failed = false;
		int end = start;
		while (true) {
			int mark = this.s.pos;
			this.s.skipWs();
			if (this.s.peek() == '@' && !steps.isEmpty()) {
				error(this.s.pos, "unexpected input '" + this.s.preview(this.s.pos)
						+ "': tags must follow their step on the same line");
				sync(true, false);
				continue;
			}
			if (!this.s.at("|>")) {
				this.s.pos = mark;
				break;
			}
			int stepStart = this.s.pos;
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
				end = this.s.pos;
			}
			catch (SyntaxError ex) {
				failed = true;
				sync(true, false);
				end = this.s.pos;
			}
		}
		this.lastBodyHadFailedSteps = failed;
		return new Pipeline(steps, this.s.span(start, Math.max(start, end)));
	}

	private Step step() {
		int start = this.s.pos;
		this.s.pos += 2;
		int afterBar = this.s.pos;
		this.s.skipWs();
		if (this.s.eof() || (this.s.line(this.s.pos) > this.s.line(afterBar) && atTopLevelStart())) {
			throw fail(start, "expected a step name after '|>'");
		}
		if (this.s.atWord("result")) {
			return resultStep(start);
		}
		if (this.s.atWord("if")) {
			return ifStep(start);
		}
		if (this.s.atWord("dispatch")) {
			return dispatchStep(start);
		}
		if (this.s.atWord("foreach")) {
			return foreachStep(start);
		}
		return regularStep(start);
	}

	private Step regularStep(int start) {
		Name name = identifier("a step name");
		checkNotReserved(name);
		Optional<InlineArgs> args = Optional.empty();
		if (this.s.peek() == '(') {
			args = Optional.of(inlineArgs(name));
		}
		Optional<StepConfig> config = Optional.empty();
		int mark = this.s.pos;
		this.s.skipWs();
		if (this.s.peek() == ':' && this.s.peek(1) != ':') {
			this.s.pos++;
			this.s.skipWs();
			config = Optional.of(stepConfig());
		}
		else {
			this.s.pos = mark;
		}
		List<TagExpr> tags = stepTags();
		int end = this.s.pos;
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
			int start = this.s.pos;
			Name first = identifier("an identifier");
			if (this.s.at("::") && Scanner.isIdentStart(this.s.peek(2))) {
				this.s.pos += 2;
				Name name = identifier("an identifier");
				return new StepConfig.Reference(Optional.of(first), name, this.s.spanFrom(start));
			}
			return new StepConfig.Reference(Optional.empty(), first, this.s.spanFrom(start));
		}
		throw fail(this.s.pos, unexpected(this.s.pos, "a string or identifier"));
	}

	/** After a step only a comment, a line break, the next step or a block token may follow. */
	private void endOfStep() {
		int mark = this.s.pos;
		if (this.s.atLineEnd()) {
			return;
		}
		this.s.skipSp();
		if (this.s.at("|>") || atBlockToken()) {
			this.s.pos = mark;
			return;
		}
		throw fail(this.s.pos, unexpected(this.s.pos, "a tag, comment or new line"));
	}

	/** A token that ends the body of an open block (grammar.md §5). */
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
		int i = this.s.identEnd(this.s.pos);
		if (i == this.s.pos || this.s.charAt(i) != '(') {
			return false;
		}
		i++;
		int digits = i;
		while (this.s.charAt(i) >= '0' && this.s.charAt(i) <= '9') {
			i++;
		}
		return i > digits && this.s.charAt(i) == ')' && this.s.charAt(i + 1) == ':';
	}

	/** Inline arguments, found and split exactly as grammar.md §3.3 says. */
	private InlineArgs inlineArgs(Name step) {
		int open = this.s.pos;
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
			this.s.pos = open + 1;
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
		this.s.pos = close + 1;
		return new InlineArgs(this.s.substring(open + 1, close), args, this.s.span(open, close + 1));
	}

	// ---------------------------------------------------------------- tags

	private List<TagExpr> stepTags() {
		List<TagExpr> groups = new ArrayList<>();
		while (true) {
			int mark = this.s.pos;
			this.s.skipSp();
			char c = this.s.peek();
			if (c == '@' || c == '(') {
				groups.add(tagExpr());
			}
			else {
				this.s.pos = mark;
				return groups;
			}
		}
	}

	private TagExpr tagExpr() {
		int start = this.s.pos;
		List<TagExpr> operands = new ArrayList<>();
		operands.add(tagAnd());
		while (true) {
			int mark = this.s.pos;
			this.s.skipWs();
			if (this.s.atWord("or")) {
				this.s.pos += 2;
				this.s.skipWs();
				operands.add(tagAnd());
			}
			else {
				this.s.pos = mark;
				break;
			}
		}
		return (operands.size() == 1) ? operands.get(0) : new TagExpr.Or(operands, this.s.spanFrom(start));
	}

	private TagExpr tagAnd() {
		int start = this.s.pos;
		List<TagExpr> operands = new ArrayList<>();
		operands.add(tagPrimary());
		while (true) {
			int mark = this.s.pos;
			this.s.skipWs();
			if (this.s.atWord("and")) {
				this.s.pos += 3;
				this.s.skipWs();
				operands.add(tagPrimary());
			}
			else {
				this.s.pos = mark;
				break;
			}
		}
		return (operands.size() == 1) ? operands.get(0) : new TagExpr.And(operands, this.s.spanFrom(start));
	}

	private TagExpr tagPrimary() {
		int start = this.s.pos;
		if (this.s.peek() == '@') {
			return tag();
		}
		if (this.s.peek() == '(') {
			this.s.pos++;
			this.s.skipWs();
			TagExpr inner = tagExpr();
			this.s.skipWs();
			if (this.s.peek() != ')') {
				throw fail(this.s.pos, unexpected(this.s.pos, "')' to close the tag group"));
			}
			this.s.pos++;
			return new TagExpr.Group(inner, this.s.spanFrom(start));
		}
		throw fail(start, unexpected(start, "a tag"));
	}

	private Tag tag() {
		int start = this.s.pos;
		this.s.pos++;
		boolean negated = false;
		if (this.s.peek() == '!') {
			negated = true;
			this.s.pos++;
		}
		Name name = identifier("a tag name");
		List<TagArg> args = new ArrayList<>();
		if (this.s.peek() == '(') {
			this.s.pos++;
			this.s.skipWs();
			if (this.s.peek() == ')') {
				this.s.pos++;
			}
			else {
				while (true) {
					args.add(tagArg());
					this.s.skipWs();
					if (this.s.peek() == ',') {
						this.s.pos++;
						this.s.skipWs();
					}
					else if (this.s.peek() == ')') {
						this.s.pos++;
						break;
					}
					else {
						throw fail(this.s.pos, unexpected(this.s.pos, "',' or ')' in the arguments of @" + name.text()));
					}
				}
			}
		}
		return new Tag(negated, name, args, this.s.spanFrom(start));
	}

	private TagArg tagArg() {
		int start = this.s.pos;
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
			error(at, "unknown tag '@" + name + "'");
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
		int keyword = this.s.pos;
		this.s.pos += "result".length();
		List<Branch> branches = new ArrayList<>();
		Set<String> types = new HashSet<>();
		this.openResults++;
		try {
			while (true) {
				int mark = this.s.pos;
				this.s.skipWs();
				int labelEnd = this.s.identEnd(this.s.pos);
				if (labelEnd > this.s.pos && this.s.charAt(labelEnd) == '(') {
					branches.add(resultBranch(types));
				}
				else if (labelEnd > this.s.pos && !atBlockWord() && !atTopLevelStart()) {
					throw fail(this.s.pos, "result branch must look like name(status):");
				}
				else {
					this.s.pos = mark;
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
		int start = this.s.pos;
		Name type = identifier("a branch name");
		this.s.pos++;
		int digits = this.s.pos;
		while (this.s.peek() >= '0' && this.s.peek() <= '9') {
			this.s.pos++;
		}
		if (this.s.pos == digits || this.s.peek() != ')' || this.s.peek(1) != ':') {
			throw fail(start, "result branch must look like name(status):");
		}
		String number = this.s.substring(digits, this.s.pos);
		this.s.pos += 2;
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
		int keyword = this.s.pos;
		this.s.pos += "if".length();
		this.openIfs++;
		try {
			Pipeline condition = pipelineBody(null);
			if (hasNoSteps(condition)) {
				error(keyword, "expected '|>' step after 'if'");
			}
			this.s.skipWs();
			if (!this.s.at("then:")) {
				throw fail(this.s.pos, "'then:' expected after if-condition");
			}
			Span thenLabel = this.s.span(this.s.pos, this.s.pos + 5);
			this.s.pos += 5;
			Pipeline then = pipelineBody(new Label("then", thenLabel));
			Optional<Pipeline> otherwise = Optional.empty();
			int mark = this.s.pos;
			this.s.skipWs();
			if (this.s.at("else:")) {
				Span elseLabel = this.s.span(this.s.pos, this.s.pos + 5);
				this.s.pos += 5;
				otherwise = Optional.of(pipelineBody(new Label("else", elseLabel)));
			}
			else {
				this.s.pos = mark;
			}
			boolean closed = consumeEnd();
			return new Step.If(condition, then, otherwise, closed, this.s.spanFrom(start));
		}
		finally {
			this.openIfs--;
		}
	}

	private boolean consumeEnd() {
		int mark = this.s.pos;
		this.s.skipWs();
		if (this.s.atWord("end")) {
			this.s.pos += 3;
			return true;
		}
		this.s.pos = mark;
		return false;
	}

	private Step dispatchStep(int start) {
		int keyword = this.s.pos;
		this.s.pos += "dispatch".length();
		this.openDispatches++;
		try {
			List<Case> cases = new ArrayList<>();
			while (true) {
				int mark = this.s.pos;
				this.s.skipWs();
				if (this.s.atWord("case")) {
					cases.add(caseBranch());
				}
				else {
					this.s.pos = mark;
					break;
				}
			}
			Optional<Pipeline> otherwise = Optional.empty();
			int mark = this.s.pos;
			this.s.skipWs();
			if (this.s.at("default:")) {
				Span label = this.s.span(this.s.pos, this.s.pos + 8);
				this.s.pos += 8;
				otherwise = Optional.of(pipelineBody(new Label("default", label)));
			}
			else {
				this.s.pos = mark;
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
		int start = this.s.pos;
		this.s.pos += "case".length();
		this.s.skipWs();
		if (this.s.peek() != '@' && this.s.peek() != '(') {
			throw fail(this.s.pos, "case needs a tag expression followed by ':'");
		}
		TagExpr condition = tagExpr();
		this.s.skipWs();
		if (this.s.peek() == '@' || this.s.peek() == '(') {
			throw fail(this.s.pos, "case takes one tag expression: join its tags with 'and' or 'or'");
		}
		if (this.s.peek() != ':') {
			throw fail(this.s.pos, "case needs a tag expression followed by ':'");
		}
		this.s.pos++;
		checkTags(List.of(condition), true);
		Pipeline body = pipelineBody(new Label("case", this.s.span(start, start + 4)));
		return new Case(condition, body, this.s.spanFrom(start));
	}

	private Step foreachStep(int start) {
		int keyword = this.s.pos;
		this.s.pos += "foreach".length();
		this.s.skipSp();
		int lineEnd = this.s.pos;
		while (lineEnd < this.s.length() && this.s.charAt(lineEnd) != '\n' && this.s.charAt(lineEnd) != '#') {
			lineEnd++;
		}
		int from = this.s.pos;
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
		this.s.pos = lineEnd;
		this.openForeachs++;
		Pipeline body;
		try {
			body = pipelineBody(null);
		}
		finally {
			this.openForeachs--;
		}
		if (!consumeEnd()) {
			int mark = this.s.pos;
			this.s.skipWs();
			error(this.s.pos, "'end' expected to close foreach started at " + this.s.line(start) + ":"
					+ this.s.column(start));
			this.s.pos = mark;
		}
		return new Step.Foreach(selector, body, this.s.spanFrom(start));
	}

	// ---------------------------------------------------------------- describe / it (testing.md §1)

	private TopItem describe() {
		int start = this.s.pos;
		this.s.pos += "describe".length();
		this.s.skipWs();
		if (this.s.peek() != '"') {
			throw fail(this.s.pos, "describe/it name must be a double-quoted string");
		}
		StringLit name = string();
		List<TestItem> items = new ArrayList<>();
		while (true) {
			int mark = this.s.pos;
			this.s.skipWs();
			if (this.s.eof()) {
				this.s.pos = mark;
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
					this.s.pos = mark;
					break;
				}
				else {
					throw fail(this.s.pos, unexpected(this.s.pos, "let, with mock or it"));
				}
			}
			catch (SyntaxError ex) {
				sync(false, true);
			}
			if (this.s.pos <= mark) {
				this.s.pos = mark + 1;
				sync(false, true);
			}
		}
		return new TopItem.Describe(name, items, this.s.spanFrom(start));
	}

	private boolean atMock() {
		int save = this.s.pos;
		try {
			if (!this.s.atWord("with") && !this.s.atWord("and")) {
				return false;
			}
			boolean and = this.s.atWord("and");
			this.s.pos += and ? 3 : 4;
			this.s.skipSp();
			if (and && this.s.atWord("with")) {
				this.s.pos += 4;
				this.s.skipSp();
			}
			return this.s.atWord("mock");
		}
		finally {
			this.s.pos = save;
		}
	}

	private boolean atWith() {
		int save = this.s.pos;
		try {
			if (this.s.atWord("and")) {
				this.s.pos += 3;
				this.s.skipSp();
			}
			return this.s.atWord("with");
		}
		finally {
			this.s.pos = save;
		}
	}

	private TestItem.Let let() {
		int start = this.s.pos;
		this.s.pos += 3;
		this.s.skipWs();
		Name name = identifier("a variable name");
		expectEquals();
		this.s.skipWs();
		int at = this.s.pos;
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
			this.s.pos = end;
			value = new Value(ValueKind.RAW, word, this.s.spanFrom(at));
		}
		return new TestItem.Let(name, value, this.s.spanFrom(start));
	}

	private TestItem.Mock mock() {
		int start = this.s.pos;
		if (this.s.atWord("and")) {
			this.s.pos += 3;
			this.s.skipSp();
		}
		if (this.s.atWord("with")) {
			this.s.pos += 4;
			this.s.skipSp();
		}
		this.s.pos += "mock".length();
		this.s.skipWs();
		TestItem.MockTarget target = mockTarget();
		this.s.skipWs();
		if (!this.s.atWord("returning")) {
			throw fail(this.s.pos, unexpected(this.s.pos, "'returning'"));
		}
		this.s.pos += "returning".length();
		this.s.skipWs();
		if (this.s.peek() != '`') {
			throw fail(this.s.pos, unexpected(this.s.pos, "a backtick string"));
		}
		StringLit returning = string();
		return new TestItem.Mock(target, returning, this.s.spanFrom(start));
	}

	private TestItem.MockTarget mockTarget() {
		int start = this.s.pos;
		Name kind = identifier("a mock target");
		String k = kind.text();
		int mark = this.s.pos;
		if ((k.equals("pipeline") || k.equals("query") || k.equals("mutation")) && this.s.peek() != '.') {
			this.s.skipSp();
			if (this.s.atIdentStart() && !this.s.atWord("returning")) {
				Name name = identifier("a name");
				return new TestItem.MockTarget(kind, Optional.of(name), this.s.spanFrom(start));
			}
			this.s.pos = mark;
		}
		if (this.s.peek() == '.') {
			this.s.pos++;
			int nameStart = this.s.pos;
			identifier("a name");
			if (this.s.at("::") && Scanner.isIdentStart(this.s.peek(2))) {
				this.s.pos += 2;
				identifier("a name");
			}
			Name name = new Name(this.s.substring(nameStart, this.s.pos), this.s.spanFrom(nameStart));
			return new TestItem.MockTarget(kind, Optional.of(name), this.s.spanFrom(start));
		}
		return new TestItem.MockTarget(kind, Optional.empty(), this.s.spanFrom(start));
	}

	private TestItem.It it() {
		int start = this.s.pos;
		this.s.pos += 2;
		this.s.skipWs();
		if (this.s.peek() != '"') {
			throw fail(this.s.pos, "describe/it name must be a double-quoted string");
		}
		StringLit name = string();
		List<TestItem> setup = new ArrayList<>();
		while (true) {
			int mark = this.s.pos;
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
				this.s.pos = mark;
				break;
			}
		}
		this.s.skipWs();
		if (!this.s.atWord("when")) {
			throw fail(this.s.pos, "'when' clause expected in it \"" + name.content() + "\"");
		}
		When when = whenClause();
		List<TestItem> inputs = new ArrayList<>();
		while (true) {
			int mark = this.s.pos;
			this.s.skipWs();
			if (atMock()) {
				inputs.add(mock());
			}
			else if (atWith()) {
				inputs.add(withClause());
			}
			else {
				this.s.pos = mark;
				break;
			}
		}
		List<Assertion> assertions = new ArrayList<>();
		while (true) {
			int mark = this.s.pos;
			this.s.skipWs();
			if ((this.s.atWord("then") || this.s.atWord("and")) && !atMock() && !atWith()) {
				assertions.add(assertion());
			}
			else {
				this.s.pos = mark;
				break;
			}
		}
		return new TestItem.It(name, setup, when, inputs, assertions, this.s.spanFrom(start));
	}

	private TestItem.With withClause() {
		int start = this.s.pos;
		if (this.s.atWord("and")) {
			this.s.pos += 3;
			this.s.skipSp();
		}
		this.s.pos += 4;
		this.s.skipWs();
		TestItem.WithKind kind = null;
		for (TestItem.WithKind candidate : TestItem.WithKind.values()) {
			String word = candidate.name().toLowerCase(java.util.Locale.ROOT);
			if (this.s.atWord(word)) {
				kind = candidate;
				this.s.pos += word.length();
				break;
			}
		}
		if (kind == null) {
			throw fail(this.s.pos, unexpected(this.s.pos, "input, body, headers, cookies or mock"));
		}
		this.s.skipWs();
		if (this.s.peek() != '`') {
			throw fail(this.s.pos, unexpected(this.s.pos, "a backtick string"));
		}
		StringLit value = string();
		return new TestItem.With(kind, value, this.s.spanFrom(start));
	}

	private When whenClause() {
		int start = this.s.pos;
		this.s.pos += "when".length();
		this.s.skipWs();
		if (this.s.atWord("calling")) {
			this.s.pos += "calling".length();
			this.s.skipWs();
			Name method = identifier("an HTTP method");
			if (!HTTP_METHODS.contains(method.text())) {
				error(method.span(), "unknown HTTP method '" + method.text() + "'");
			}
			this.s.skipSp();
			if (this.s.peek() != '/') {
				throw fail(this.s.pos, "route path must start with '/'");
			}
			int from = this.s.pos;
			int to = this.s.lineEnd(from);
			while (to > from && this.s.charAt(to - 1) <= ' ') {
				to--;
			}
			this.s.pos = to;
			return new When.Calling(method, this.s.substring(from, to), this.s.spanFrom(start));
		}
		if (this.s.atWord("executing")) {
			this.s.pos += "executing".length();
			this.s.skipWs();
			if (this.s.atWord("pipeline")) {
				this.s.pos += "pipeline".length();
				this.s.skipWs();
				Name pipeline = identifier("a pipeline name");
				return new When.ExecutingPipeline(pipeline, this.s.spanFrom(start));
			}
			if (this.s.atWord("variable")) {
				this.s.pos += "variable".length();
				this.s.skipWs();
				Name type = identifier("a variable type");
				this.s.skipWs();
				Name name = identifier("a variable name");
				return new When.ExecutingVariable(type, name, this.s.spanFrom(start));
			}
			throw fail(this.s.pos, unexpected(this.s.pos, "pipeline or variable"));
		}
		throw fail(this.s.pos, unexpected(this.s.pos, "calling or executing"));
	}

	private Assertion assertion() {
		int start = this.s.pos;
		this.s.pos += this.s.atWord("then") ? 4 : 3;
		this.s.skipSp();
		if (this.s.atWord("status")) {
			this.s.pos += "status".length();
			this.s.skipSp();
			if (phrase("in") != null) {
				int from = integer();
				if (!this.s.at("..")) {
					throw malformed("expected '..' in a status range");
				}
				this.s.pos += 2;
				int to = integer();
				return new Assertion.Status(from, to, true, this.s.spanFrom(start));
			}
			if (phrase("is", "equals") == null) {
				throw malformed("expected 'is', 'equals' or 'in' after status");
			}
			int status = integer();
			return new Assertion.Status(status, status, false, this.s.spanFrom(start));
		}
		if (this.s.atWord("contentType")) {
			this.s.pos += "contentType".length();
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
		if (this.s.atWord("output")) {
			this.s.pos += "output".length();
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
		if (this.s.atWord("header")) {
			this.s.pos += "header".length();
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
		if (this.s.atWord("selector")) {
			return selectorAssertion(start);
		}
		if (this.s.atWord("call")) {
			this.s.pos += "call".length();
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

	private Assertion selectorAssertion(int start) {
		this.s.pos += "selector".length();
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
			int at = this.s.pos;
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
		return Assertion.Op.valueOf(word.toUpperCase(java.util.Locale.ROOT));
	}

	/**
	 * Reads the first of the given phrases (words separated by spaces on one line) that is
	 * written here, followed by spaces; returns it in canonical spelling or {@code null}.
	 */
	private String phrase(String... phrases) {
		for (String phrase : phrases) {
			int i = this.s.pos;
			boolean matched = true;
			for (String word : phrase.split(" ")) {
				while (this.s.charAt(i) == ' ' || this.s.charAt(i) == '\t') {
					i++;
				}
				if (!this.s.atWord(i, word)) {
					matched = false;
					break;
				}
				i += word.length();
			}
			if (matched) {
				this.s.pos = i;
				this.s.skipSp();
				return phrase;
			}
		}
		return null;
	}

	private int integer() {
		this.s.skipSp();
		int start = this.s.pos;
		if (this.s.peek() == '-') {
			this.s.pos++;
		}
		while (this.s.peek() >= '0' && this.s.peek() <= '9') {
			this.s.pos++;
		}
		String text = this.s.substring(start, this.s.pos);
		if (text.isEmpty() || text.equals("-") || text.length() > 9) {
			this.s.pos = start;
			throw malformed("expected an integer");
		}
		return Integer.parseInt(text);
	}

	/** An assertion value: backtick, quoted, {@code $name} or the rest of the line. */
	private Value value() {
		this.s.skipSp();
		int start = this.s.pos;
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
		this.s.pos = end;
		if (c == '$' && this.s.identEnd(start + 1) == end && end > start + 1) {
			return new Value(ValueKind.VARIABLE, text.substring(1), this.s.span(start, end));
		}
		return new Value(ValueKind.RAW, text, this.s.span(start, end));
	}

	private SyntaxError malformed(String detail) {
		return fail(this.s.pos, "malformed assertion: " + detail);
	}

	// ---------------------------------------------------------------- lexical helpers

	private Name identifier(String what) {
		int start = this.s.pos;
		int end = this.s.identEnd(start);
		if (end == start) {
			throw fail(start, unexpected(start, what));
		}
		this.s.pos = end;
		return new Name(this.s.substring(start, end), this.s.span(start, end));
	}

	/** A backtick, fenced or double-quoted string starting here. */
	private StringLit string() {
		int start = this.s.pos;
		String text = this.s.text();
		if (this.s.at("```")) {
			int close = text.indexOf("```", start + 3);
			if (close < 0) {
				throw unterminated(start, "fenced string is not closed");
			}
			this.s.pos = close + 3;
			return new StringLit(StringLit.Kind.FENCED, text.substring(start + 3, close), this.s.spanFrom(start));
		}
		char delimiter = this.s.peek();
		int close = text.indexOf(delimiter, start + 1);
		if (close < 0) {
			throw unterminated(start,
					(delimiter == '`') ? "unterminated backtick string" : "unterminated quoted string");
		}
		this.s.pos = close + 1;
		StringLit.Kind kind = (delimiter == '`') ? StringLit.Kind.BACKTICK : StringLit.Kind.QUOTED;
		return new StringLit(kind, text.substring(start + 1, close), this.s.spanFrom(start));
	}

	private SyntaxError unterminated(int start, String message) {
		error(start, message);
		this.silenced = true;
		this.s.pos = this.s.length();
		return new SyntaxError();
	}

	private String unexpected(int at, String expected) {
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
	private void sync(boolean steps, boolean tests) {
		String text = this.s.text();
		if (atFirstTokenOfLine() && ((steps && this.s.at("|>")) || atTopLevelStart())) {
			return;
		}
		while (!this.s.eof()) {
			char c = this.s.peek();
			if (c == '\n') {
				this.s.pos++;
				this.s.skipSp();
				if ((steps && this.s.at("|>")) || (tests && this.s.atWord("it")) || atTopLevelStart()) {
					return;
				}
			}
			else if (c == '`' || c == '"') {
				int start = this.s.pos;
				String delimiter = this.s.at("```") ? "```" : String.valueOf(c);
				int close = text.indexOf(delimiter, start + delimiter.length());
				this.s.pos = (close < 0) ? this.s.length() : close + delimiter.length();
			}
			else if (c == '#') {
				this.s.skipToLineEnd();
			}
			else {
				this.s.pos++;
			}
		}
	}

	private boolean atFirstTokenOfLine() {
		int i = this.s.pos - 1;
		while (i >= 0 && (this.s.charAt(i) == ' ' || this.s.charAt(i) == '\t')) {
			i--;
		}
		return i < 0 || this.s.charAt(i) == '\n';
	}

	private SyntaxError fail(int at, String message) {
		error(at, message);
		return new SyntaxError();
	}

	private void error(int at, String message) {
		error(this.s.point(at), message);
	}

	private void error(Span span, String message) {
		if (this.silenced) {
			return;
		}
		this.diagnostics.add(Diagnostic.error(this.source, Span.of(span.line(), span.column()), message));
		this.errors++;
		if (this.errors >= MAX_ERRORS) {
			this.silenced = true;
			throw new Abort();
		}
	}

	private void warning(int at, String message) {
		if (!this.silenced) {
			this.diagnostics.add(Diagnostic.warning(this.source, this.s.point(at), message));
		}
	}

	/** Unwinds to the nearest recovery point; the diagnostic is already recorded. */
	private static final class SyntaxError extends RuntimeException {

		SyntaxError() {
			super(null, null, false, false);
		}

	}

	/** Unwinds the whole parse once the error cap is reached. */
	private static final class Abort extends RuntimeException {

		Abort() {
			super(null, null, false, false);
		}

	}

}
