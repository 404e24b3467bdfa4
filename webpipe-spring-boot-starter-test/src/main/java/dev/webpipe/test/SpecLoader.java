package dev.webpipe.test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jsoup.select.QueryParser;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.CompiledRoute;
import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.Document;
import dev.webpipe.language.Pipeline;
import dev.webpipe.language.SourceFile;
import dev.webpipe.language.Span;
import dev.webpipe.language.Step;
import dev.webpipe.language.StringLit;
import dev.webpipe.language.Suggestions;
import dev.webpipe.language.TagExpr;
import dev.webpipe.language.TestItem;
import dev.webpipe.language.TestItem.Assertion;
import dev.webpipe.language.TopItem;
import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.runtime.CompiledPipeline;
import dev.webpipe.runtime.Condition;
import dev.webpipe.middleware.Json;
import dev.webpipe.language.SourceLocation;
import dev.webpipe.runtime.Stage;
import dev.webpipe.runtime.jq.JqCompileException;

/**
 * Turns the {@code describe} blocks of a compiled program into runnable {@link Spec}s and
 * checks them (docs/testing.md#errors-found-before-the-tests-run): unknown routes, pipelines, variables and test
 * variables, unknown mock targets, malformed assertions and invalid statuses, test jq that does
 * not compile. Every problem of every file is collected, as the compiler does.
 */
final class SpecLoader {

	private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_][A-Za-z0-9_-]*)\\s*}}");

	private final CompiledProgram program;

	private final MiddlewareRegistry registry;

	private final BiFunction<String, Integer, @Nullable URI> sources;

	private final List<Diagnostic> diagnostics = new ArrayList<>();

	private final Map<String, TopItem.Variable> variables = new HashMap<>();

	/** Names a {@code <mw>.<name>} mock can match statically, by middleware. */
	private final Map<String, Set<String>> stepNames = new HashMap<>();

	/** Whether a state {@code resultName} may name results (then unknown names are only warned about). */
	private boolean dynamicNames;

	@SuppressWarnings("NullAway.Init") // set before each file is read
	private SourceFile source;

	SpecLoader(CompiledProgram program, MiddlewareRegistry registry,
			BiFunction<String, Integer, @Nullable URI> sources) {
		this.program = program;
		this.registry = registry;
		this.sources = sources;
	}

	/** A describe block: its name, where it is, and its tests. */
	record Group(String name, String file, int line, URI source, List<Spec> specs) {
	}

	/** The groups of every file, in file order; problems go to {@link #diagnostics()}. */
	List<Group> load() {
		for (Document document : this.program.documents()) {
			this.dynamicNames |= document.source().text().contains("resultName");
			for (TopItem item : document.items()) {
				collectNames(item);
			}
		}
		List<Group> groups = new ArrayList<>();
		for (Document document : this.program.documents()) {
			this.source = document.source();
			for (TopItem.Describe describe : document.itemsOf(TopItem.Describe.class)) {
				groups.add(describe(describe));
			}
		}
		return groups;
	}

	/** Errors and warnings, in file and position order. */
	List<Diagnostic> diagnostics() {
		List<Diagnostic> sorted = new ArrayList<>(this.diagnostics);
		sorted.sort(java.util.Comparator.comparing(Diagnostic::file)
			.thenComparingInt((Diagnostic d) -> d.span().line())
			.thenComparingInt((Diagnostic d) -> d.span().column()));
		return sorted;
	}

	// ---- describe and it ------------------------------------------------------------------

	private Group describe(TopItem.Describe describe) {
		String name = describe.name().content();
		List<TestItem.Let> lets = new ArrayList<>();
		Map<String, TestItem.Mock> mocks = new LinkedHashMap<>();
		for (TestItem item : describe.items()) {
			if (item instanceof TestItem.Let let) {
				lets.add(let);
			}
			else if (item instanceof TestItem.Mock mock) {
				String key = mockKey(mock.target());
				if (key != null) {
					mocks.put(key, mock);
				}
			}
		}
		List<Spec> specs = new ArrayList<>();
		for (TestItem item : describe.items()) {
			if (item instanceof TestItem.It it) {
				Spec spec = it(name, it, lets, mocks);
				if (spec != null) {
					specs.add(spec);
				}
			}
		}
		int line = describe.span().line();
		return new Group(name, this.source.name(), line, this.sources.apply(this.source.name(), line), specs);
	}

	private @Nullable Spec it(String describe, TestItem.It it, List<TestItem.Let> describeLets,
			Map<String, TestItem.Mock> describeMocks) {
		List<TestItem> items = new ArrayList<>(it.setup());
		items.addAll(it.inputs());
		Map<String, JsonNode> variables = new LinkedHashMap<>();
		for (TestItem.Let let : describeLets) {
			variables.put(let.name().text(), letValue(let.value()));
		}
		Map<String, TestItem.Mock> mockItems = new LinkedHashMap<>(describeMocks);
		Map<TestItem.WithKind, TestItem.With> withs = new LinkedHashMap<>();
		for (TestItem item : items) {
			if (item instanceof TestItem.Let let) {
				variables.put(let.name().text(), letValue(let.value()));
			}
		}
		for (TestItem item : items) {
			if (item instanceof TestItem.Mock mock) {
				String key = mockKey(mock.target());
				if (key != null) {
					mockItems.put(key, mock);
				}
			}
			else if (item instanceof TestItem.With with) {
				withs.put(with.kind(), with);
			}
		}
		ObjectNode variablesObject = Json.NODES.objectNode();
		variables.forEach(variablesObject::set);
		int errors = errorCount();
		Spec.Action action = action(it.when(), variables, withs);
		Map<String, TestJq> inputs = new LinkedHashMap<>();
		withs.forEach((kind, with) -> {
			TestJq jq = jq(with.value(), variables);
			if (jq != null) {
				inputs.put(kind.name().toLowerCase(Locale.ROOT), jq);
			}
		});
		Map<String, Spec.Mock> mocks = new LinkedHashMap<>();
		mockItems.forEach((key, mock) -> {
			TestJq returning = jq(mock.returning(), variables);
			if (returning != null) {
				mocks.put(key, new Spec.Mock(label(mock.target()), returning));
			}
		});
		List<Check> checks = new ArrayList<>();
		for (Assertion assertion : it.assertions()) {
			Check check = check(assertion, variables, variablesObject);
			if (check != null) {
				checks.add(check);
			}
		}
		if (errorCount() > errors || action == null) {
			return null;
		}
		int line = it.span().line();
		return new Spec(describe, it.name().content(), this.source.name(), line,
				this.sources.apply(this.source.name(), line), variablesObject, action, inputs, mocks, checks);
	}

	private Spec.@Nullable Action action(TestItem.When when, Map<String, JsonNode> variables,
			Map<TestItem.WithKind, TestItem.With> withs) {
		if (when instanceof TestItem.When.Calling calling) {
			TestItem.With input = withs.get(TestItem.WithKind.INPUT);
			if (input != null) {
				warning(input.span(), "'with input' is ignored by 'when calling': use with body, headers or cookies");
			}
			String method = calling.method().text();
			String target = render(calling.target(), calling.span(), variables);
			String path = target;
			for (char end : new char[] { '#', '?' }) {
				int at = path.indexOf(end);
				if (at >= 0) {
					path = path.substring(0, at);
				}
			}
			if (!routeExists(method, path)) {
				error(calling.span(), "unknown route " + method + " " + path + " in test");
			}
			return new Spec.Action.Calling(method, target);
		}
		for (TestItem.WithKind kind : List.of(TestItem.WithKind.BODY, TestItem.WithKind.HEADERS,
				TestItem.WithKind.COOKIES)) {
			TestItem.With with = withs.get(kind);
			if (with != null) {
				warning(with.span(), "'with " + kind.name().toLowerCase(Locale.ROOT)
						+ "' is ignored by 'when executing': use with input");
			}
		}
		if (when instanceof TestItem.When.ExecutingPipeline pipeline) {
			String name = pipeline.pipeline().text();
			if (!this.program.pipelines().containsKey(name)) {
				error(pipeline.pipeline().span(), Suggestions.withSuggestion("unknown pipeline '" + name + "' in test",
						name, this.program.pipelines().keySet()));
				return null;
			}
			return new Spec.Action.RunPipeline(name);
		}
		TestItem.When.ExecutingVariable variable = (TestItem.When.ExecutingVariable) when;
		return variableStep(variable);
	}

	private Spec.@Nullable Action variableStep(TestItem.When.ExecutingVariable when) {
		String type = when.type().text();
		String name = when.name().text();
		TopItem.Variable declared = this.variables.get(type + " " + name);
		Optional<Middleware> middleware = this.registry.find(type);
		if (declared == null || middleware.isEmpty()) {
			List<String> names = this.variables.values().stream()
				.filter((v) -> v.type().text().equals(type))
				.map((v) -> v.name().text())
				.toList();
			error(when.name().span(),
					Suggestions.withSuggestion("unknown variable " + type + " " + name + " in test", name, names));
			return null;
		}
		SourceLocation location = new SourceLocation(this.source.name(), when.span());
		ExecutableStep step;
		try {
			Map<String, String> sameType = new LinkedHashMap<>();
			this.variables.values().stream()
				.filter((v) -> v.type().text().equals(type))
				.forEach((v) -> sameType.put(v.name().text(), v.value().content()));
			step = middleware.get().compile(new StepDefinition(type, declared.value().content(), Optional.of(name),
					List.of(), location, this.program.configBlocks(), Map.of(), Optional.empty(), sameType,
					StepDefinition.LoadWarnings.IGNORE));
		}
		catch (InvalidStepException | RuntimeException ex) {
			error(when.span(), type + " " + name + ": " + ex.getMessage());
			return null;
		}
		// The test's output is the step's own value: the result value of pg, fetch or graphql,
		// the output of the others, so the step replaces the state instead of merging or placing.
		Behavior behavior = (middleware.get().behavior() == Behavior.RENDER) ? Behavior.RENDER : Behavior.TRANSFORM;
		Stage.Step stage = new Stage.Step(type, step, behavior, false, List.of(), Condition.ALWAYS, null, name, null,
				false, location);
		String label = "variable " + type + " " + name;
		return new Spec.Action.RunVariable(label, new CompiledPipeline(label, List.of(stage)));
	}

	private boolean routeExists(String method, String path) {
		PathContainer container = PathContainer.parsePath(path);
		for (CompiledRoute route : this.program.routes()) {
			boolean methodMatches = route.method().equals(method)
					|| (method.equals("HEAD") && route.method().equals("GET"));
			if (methodMatches) {
				PathPattern pattern = PathPatternParser.defaultInstance.parse(route.pattern());
				if (pattern.matches(container)) {
					return true;
				}
			}
		}
		return false;
	}

	// ---- mocks ---------------------------------------------------------------------------

	/** The {@link Spec.MockKey} of a target, or {@code null} (with a diagnostic) when it is unusable. */
	private @Nullable String mockKey(TestItem.MockTarget target) {
		String kind = target.kind().text();
		Optional<String> name = target.name().map((n) -> n.text());
		String label = label(target);
		if (kind.equals("pipeline") || kind.equals("query") || kind.equals("mutation")) {
			if (name.isEmpty()) {
				error(target.span(), "mock target '" + kind + "': expected a " + (kind.equals("pipeline")
						? "pipeline name" : "field name") + " after '" + kind + "'");
				return null;
			}
			if (kind.equals("pipeline")) {
				if (!this.program.pipelines().containsKey(name.get())) {
					error(target.span(), Suggestions.withSuggestion(
							"mock target '" + label + "': unknown pipeline '" + name.get() + "'", name.get(),
							this.program.pipelines().keySet()));
					return null;
				}
				return Spec.MockKey.pipeline(name.get());
			}
			return Spec.MockKey.graphql(kind, name.get());
		}
		if (!this.registry.contains(kind)) {
			warning(target.span(), Suggestions.withSuggestion(
					"mock target '" + label + "': unknown middleware '" + kind + "'", kind, this.registry.names()));
		}
		if (name.isEmpty()) {
			return Spec.MockKey.middleware(kind);
		}
		Set<String> known = this.stepNames.getOrDefault(kind, Set.of());
		if (!known.contains(name.get())) {
			String message = "mock target '" + label + "': unknown variable '" + name.get() + "' (no " + kind
					+ " variable, @result or @async step has that name)";
			if (this.dynamicNames) {
				warning(target.span(), message);
			}
			else {
				error(target.span(), message);
			}
		}
		return Spec.MockKey.named(kind, name.get());
	}

	private static String label(TestItem.MockTarget target) {
		String kind = target.kind().text();
		if (target.name().isEmpty()) {
			return kind;
		}
		String separator = (kind.equals("pipeline") || kind.equals("query") || kind.equals("mutation")) ? " " : ".";
		return kind + separator + target.name().get().text();
	}

	private void collectNames(TopItem item) {
		if (item instanceof TopItem.Variable variable) {
			this.variables.put(variable.type().text() + " " + variable.name().text(), variable);
			names(variable.type().text()).add(variable.name().text());
		}
		else if (item instanceof TopItem.Route route) {
			collectNames(route.body());
		}
		else if (item instanceof TopItem.NamedPipeline pipeline) {
			collectNames(pipeline.body());
		}
		else if (item instanceof TopItem.FeatureFlags flags) {
			collectNames(flags.body());
		}
		else if (item instanceof TopItem.OperationResolver resolver) {
			collectNames(resolver.body());
		}
		else if (item instanceof TopItem.TypeResolver resolver) {
			collectNames(resolver.body());
		}
	}

	private void collectNames(Pipeline pipeline) {
		for (Step step : pipeline.steps()) {
			if (step instanceof Step.Regular regular) {
				for (TagExpr tag : regular.tags()) {
					collectTagNames(regular.name().text(), tag);
				}
			}
			else if (step instanceof Step.Result result) {
				result.branches().forEach((branch) -> collectNames(branch.body()));
			}
			else if (step instanceof Step.If branch) {
				collectNames(branch.condition());
				collectNames(branch.then());
				branch.otherwise().ifPresent(this::collectNames);
			}
			else if (step instanceof Step.Dispatch dispatch) {
				dispatch.cases().forEach((c) -> collectNames(c.body()));
				dispatch.otherwise().ifPresent(this::collectNames);
			}
			else if (step instanceof Step.Foreach foreach) {
				collectNames(foreach.body());
			}
		}
	}

	private void collectTagNames(String middleware, TagExpr expr) {
		if (expr instanceof TagExpr.Tag tag) {
			String tagName = tag.name().text();
			if ((tagName.equals("result") || tagName.equals("async")) && !tag.args().isEmpty()) {
				names(middleware).add(tag.args().get(0).text());
			}
		}
		else if (expr instanceof TagExpr.And and) {
			and.operands().forEach((operand) -> collectTagNames(middleware, operand));
		}
		else if (expr instanceof TagExpr.Or or) {
			or.operands().forEach((operand) -> collectTagNames(middleware, operand));
		}
		else if (expr instanceof TagExpr.Group group) {
			collectTagNames(middleware, group.inner());
		}
	}

	private Set<String> names(String middleware) {
		return this.stepNames.computeIfAbsent(middleware, (key) -> new HashSet<>());
	}

	// ---- assertions --------------------------------------------------------------------------

	private @Nullable Check check(Assertion assertion, Map<String, JsonNode> variables, JsonNode variablesObject) {
		int line = assertion.span().line();
		String text = this.source.line(line).trim();
		if (assertion instanceof Assertion.Status status) {
			for (int value : new int[] { status.from(), status.to() }) {
				if (value < 100 || value > 599) {
					error(assertion.span(), "invalid status " + value + " in assertion");
					return null;
				}
			}
			if (status.from() > status.to()) {
				error(assertion.span(), "malformed assertion: empty status range " + status.from() + ".." + status.to());
				return null;
			}
			return new Check.Status(line, text, status.from(), status.to(), status.range());
		}
		if (assertion instanceof Assertion.ContentType contentType) {
			String expected = Check.ContentType.normalize(contentType.type());
			if (expected.isEmpty() || !expected.contains("/")) {
				error(assertion.span(), "malformed assertion: '" + contentType.type() + "' is not a media type");
				return null;
			}
			return new Check.ContentType(line, text, expected);
		}
		if (assertion instanceof Assertion.Output output) {
			TestJq jq = null;
			if (output.jq().isPresent()) {
				jq = jq(output.jq().get(), variables);
				if (jq == null) {
					return null;
				}
			}
			Check.Comparison comparison = Check.Comparison.valueOf(output.op().name());
			JsonNode expected = value(output.value(), variables);
			Pattern pattern = (comparison == Check.Comparison.MATCHES) ? pattern(expected, output.value().span()) : null;
			if (expected == null || (comparison == Check.Comparison.MATCHES && pattern == null)) {
				return null;
			}
			return new Check.Output(line, text, jq, comparison, expected, pattern);
		}
		if (assertion instanceof Assertion.Header header) {
			Check.Comparison comparison = Check.Comparison.valueOf(header.op().name());
			JsonNode expected = value(header.value(), variables);
			Pattern pattern = (comparison == Check.Comparison.MATCHES) ? pattern(expected, header.value().span()) : null;
			if (expected == null || (comparison == Check.Comparison.MATCHES && pattern == null)) {
				return null;
			}
			return new Check.Header(line, text, header.name().content(), comparison, JsonMatch.text(expected), pattern);
		}
		if (assertion instanceof Assertion.Selector selector) {
			return selector(selector, line, text, variables);
		}
		Assertion.Call call = (Assertion.Call) assertion;
		String target = call.kind().text() + "." + call.name().text();
		if (call.kind().text().equals("pipeline") && !this.program.pipelines().containsKey(call.name().text())) {
			error(call.name().span(), Suggestions.withSuggestion("unknown pipeline '" + call.name().text() + "' in test",
					call.name().text(), this.program.pipelines().keySet()));
			return null;
		}
		if (call.value().kind() == TestItem.ValueKind.BACKTICK) {
			String rendered = render(call.value().text(), call.value().span(), variables);
			TestJq jq = jq(new StringLit(StringLit.Kind.BACKTICK, rendered, call.value().span()), variables);
			return (jq != null) ? new Check.Call(line, text, target, null, jq, variablesObject) : null;
		}
		JsonNode expected = value(call.value(), variables);
		return (expected != null) ? new Check.Call(line, text, target, expected, null, variablesObject) : null;
	}

	private @Nullable Check selector(Assertion.Selector selector, int line, String text, Map<String, JsonNode> variables) {
		String css = render(selector.selector().content(), selector.selector().span(), variables);
		try {
			QueryParser.parse(css);
		}
		catch (RuntimeException ex) {
			error(selector.selector().span(), "malformed assertion: invalid selector `" + css + "`: " + ex.getMessage());
			return null;
		}
		String kind = switch (selector.check()) {
			case EXISTS -> "exists";
			case NOT_EXISTS -> "does not exist";
			case TEXT -> "text";
			case COUNT -> "count";
			case ATTRIBUTE -> "attribute";
		};
		String operator = selector.operator().orElse("");
		String attribute = selector.attribute().map((a) -> render(a.content(), a.span(), variables)).orElse(null);
		String expected = null;
		Pattern pattern = null;
		int count = 0;
		if (selector.value().isPresent()) {
			TestItem.Value value = selector.value().get();
			JsonNode resolved = value(value, variables);
			if (resolved == null) {
				return null;
			}
			if (selector.check() == Assertion.SelectorCheck.COUNT) {
				count = resolved.asInt();
			}
			expected = JsonMatch.text(resolved);
			if (operator.endsWith("matches") || operator.endsWith("match")) {
				pattern = pattern(resolved, value.span());
				if (pattern == null) {
					return null;
				}
			}
		}
		return new Check.Selector(line, text, css, kind, operator, attribute, expected, pattern, count);
	}

	private @Nullable Pattern pattern(@Nullable JsonNode expected, Span span) {
		if (expected == null) {
			return null;
		}
		try {
			return Pattern.compile(JsonMatch.text(expected));
		}
		catch (PatternSyntaxException ex) {
			error(span, "malformed assertion: invalid regular expression: " + ex.getDescription());
			return null;
		}
	}

	// ---- values and variables ----------------------------------------------------------------

	/** A let value: backtick as JSON (else its text), quoted as a string, the rest as JSON. */
	private static JsonNode letValue(TestItem.Value value) {
		return switch (value.kind()) {
			case QUOTED -> Json.NODES.textNode(value.text());
			case BACKTICK -> jsonOrText(value.text());
			default -> jsonOrText(value.text());
		};
	}

	/** An assertion value, after {@code {{var}}} substitution; {@code null} after a diagnostic. */
	private @Nullable JsonNode value(TestItem.Value value, Map<String, JsonNode> variables) {
		if (value.kind() == TestItem.ValueKind.VARIABLE) {
			JsonNode bound = variables.get(value.text());
			if (bound == null) {
				error(value.span(), "unknown test variable '$" + value.text() + "'");
			}
			return bound;
		}
		int errors = errorCount();
		String rendered = render(value.text(), value.span(), variables);
		if (errorCount() > errors) {
			return null;
		}
		return (value.kind() == TestItem.ValueKind.QUOTED) ? Json.NODES.textNode(rendered) : jsonOrText(rendered);
	}

	private static JsonNode jsonOrText(String text) {
		try {
			return Json.parse(text);
		}
		catch (RuntimeException ex) {
			return Json.NODES.textNode(text);
		}
	}

	/** {@code {{name}}} replaced by the variable: strings raw, other values as compact JSON. */
	private String render(String text, Span span, Map<String, JsonNode> variables) {
		if (!text.contains("{{")) {
			return text;
		}
		Matcher matcher = TEMPLATE.matcher(text);
		StringBuilder out = new StringBuilder();
		while (matcher.find()) {
			JsonNode value = variables.get(matcher.group(1));
			String replacement;
			if (value == null) {
				error(span, "unknown test variable '{{" + matcher.group(1) + "}}'");
				replacement = matcher.group();
			}
			else {
				replacement = value.isTextual() ? value.textValue() : Json.write(value);
			}
			matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
		}
		matcher.appendTail(out);
		return out.toString();
	}

	private @Nullable TestJq jq(StringLit program, Map<String, JsonNode> variables) {
		try {
			return TestJq.compile(program.content(), variables);
		}
		catch (JqCompileException ex) {
			error(ex.offset().isPresent() ? program.positionOf(ex.offset().getAsInt()) : program.span(),
					"jq compile error: " + ex.detail());
			return null;
		}
	}

	private int errorCount() {
		return (int) this.diagnostics.stream().filter(Diagnostic::isError).count();
	}

	private void error(Span span, String message) {
		this.diagnostics.add(Diagnostic.error(this.source, span, message));
	}

	private void warning(Span span, String message) {
		this.diagnostics.add(Diagnostic.warning(this.source, span, message));
	}

}
