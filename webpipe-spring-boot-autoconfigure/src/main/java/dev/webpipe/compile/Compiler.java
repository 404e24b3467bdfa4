package dev.webpipe.compile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.Document;
import dev.webpipe.language.LoadException;
import dev.webpipe.language.ParseResult;
import dev.webpipe.language.Parser;
import dev.webpipe.language.Pipeline;
import dev.webpipe.language.RouteDoc;
import dev.webpipe.language.SourceFile;
import dev.webpipe.language.Span;
import dev.webpipe.language.Step;
import dev.webpipe.language.StepConfig;
import dev.webpipe.language.StringLit;
import dev.webpipe.language.Suggestions;
import dev.webpipe.language.TopItem;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.runtime.CompiledPipeline;
import dev.webpipe.runtime.Condition;
import dev.webpipe.runtime.ErrorStatuses;
import dev.webpipe.runtime.PipelineExecutor;
import dev.webpipe.runtime.RuntimeSettings;
import dev.webpipe.language.SourceLocation;
import dev.webpipe.runtime.Stage;
import dev.webpipe.runtime.jq.JqCompileException;
import dev.webpipe.runtime.jq.JqProgram;

/**
 * Compiles parsed documents into one {@link CompiledProgram}: resolves names (variables,
 * pipelines, middleware), compiles every step once (jq programs included) and reports every
 * load-time error of the program in one {@link LoadException}.
 */
public final class Compiler {

	/** Middleware of the language that this version does not run yet. */
	static final Set<String> NOT_YET_SUPPORTED = Set.of("loader", "assert");

	/** Diagnostics are reported by file, then position. */
	private static final Comparator<Diagnostic> POSITION_ORDER = Comparator.comparing(Diagnostic::file)
		.thenComparingInt((Diagnostic d) -> d.span().line())
		.thenComparingInt((Diagnostic d) -> d.span().column());

	private final MiddlewareRegistry registry;

	private final CompilerOptions options;

	private final List<Diagnostic> diagnostics = new ArrayList<>();

	private final ConfigBlocks configBlocks;

	private Map<String, Object> settings = Map.of();

	/** Set-up problems of middleware already reported (once per program, at the first step). */
	private final Set<String> setupProblems = new HashSet<>();

	private final Map<String, TopItem.Variable> variables = new HashMap<>();

	private final Map<TopItem.Variable, SourceFile> variableSources = new HashMap<>();

	/** Variable texts by middleware, then by variable name ({@link StepDefinition#variables()}). */
	private final Map<String, Map<String, String>> variableTexts = new HashMap<>();

	/** Diagnostics reported by middleware, to report each one once however many steps meet it. */
	private final Set<String> middlewareDiagnostics = new HashSet<>();

	/** The compiled steps that own resources (docs/reload.md#what-a-reload-replaces). */
	private final List<AutoCloseable> resources = new ArrayList<>();


	private final Map<String, TopItem.NamedPipeline> pipelineDeclarations = new LinkedHashMap<>();

	private final Map<TopItem.NamedPipeline, SourceFile> pipelineSources = new HashMap<>();

	private TopItem.@Nullable FeatureFlags featureFlags;

	private @Nullable SourceFile featureFlagsSource;

	private final TagCompiler tags;

	@SuppressWarnings("NullAway.Init") // set by analyseTasks before any step compiles
	private TaskAnalysis tasks;

	@SuppressWarnings("NullAway.Init") // set before each file, pipeline or route is read
	private SourceFile source;

	private Compiler(MiddlewareRegistry registry, CompilerOptions options) {
		this.registry = registry;
		this.options = options;
		this.configBlocks = new ConfigBlocks(registry.configBlocks(), registry.isPartial());
		this.tags = new TagCompiler(this::error);
	}

	/**
	 * Compiles the documents of one program (in file-name order).
	 * @throws LoadException with every error diagnostic when the program cannot be loaded
	 */
	public static CompiledProgram compile(List<Document> documents, MiddlewareRegistry registry,
			CompilerOptions options) {
		return new Compiler(registry, options).compile(documents);
	}

	/**
	 * Parses and compiles the source files of one program (sorted by file name).
	 * @throws LoadException with every error diagnostic, syntax errors first
	 */
	public static CompiledProgram load(List<SourceFile> files, MiddlewareRegistry registry, CompilerOptions options) {
		List<Document> documents = new ArrayList<>();
		List<Diagnostic> diagnostics = new ArrayList<>();
		for (SourceFile file : files) {
			ParseResult result = Parser.parse(file);
			documents.add(result.document());
			diagnostics.addAll(result.diagnostics());
		}
		if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
			throw new LoadException(diagnostics);
		}
		CompiledProgram program;
		try {
			program = compile(documents, registry, options);
		}
		catch (LoadException ex) {
			List<Diagnostic> all = new ArrayList<>(diagnostics);
			all.addAll(ex.diagnostics());
			throw new LoadException(all);
		}
		if (diagnostics.isEmpty()) {
			return program;
		}
		diagnostics.addAll(program.warnings());
		return new CompiledProgram(program.routes(), program.pipelines(), program.featureFlags(),
				program.configBlocks(), program.documents(), diagnostics, program.executor(), program.errorStatuses(),
				program.resources());
	}

	/** Compiles a program; the resources its steps took are closed again when it does not compile. */
	private CompiledProgram compile(List<Document> documents) {
		try {
			return compileProgram(documents);
		}
		catch (RuntimeException | Error ex) {
			for (AutoCloseable resource : this.resources) {
				try {
					resource.close();
				}
				catch (Exception closing) {
					ex.addSuppressed(closing);
				}
			}
			throw ex;
		}
	}

	private CompiledProgram compileProgram(List<Document> documents) {
		for (Document document : documents) {
			this.source = document.source();
			for (TopItem item : document.items()) {
				declare(item);
			}
		}
		List<String> problems = this.configBlocks.applyOverrides(this.options.configOverrides());
		this.settings = this.configBlocks.bind(this.diagnostics, problems);
		if (!problems.isEmpty()) {
			throw new InvalidConfigPropertiesException(problems);
		}
		analyseTasks(documents);
		Map<String, CompiledPipeline> pipelines = new LinkedHashMap<>();
		this.pipelineDeclarations.forEach((name, declaration) -> {
			this.source = sourceOf(declaration);
			pipelines.put(name, compilePipeline("pipeline " + name, declaration.body()));
		});
		CompiledPipeline flags = null;
		if (this.featureFlags != null) {
			this.source = Objects.requireNonNull(this.featureFlagsSource);
			flags = compilePipeline("featureFlags", this.featureFlags.body());
		}
		List<CompiledRoute> routes = new ArrayList<>();
		Map<String, CompiledRoute> routeKeys = new HashMap<>();
		for (Document document : documents) {
			this.source = document.source();
			for (TopItem item : document.items()) {
				if (item instanceof TopItem.Route route) {
					compileRoute(route, routes, routeKeys);
				}
				else if (item instanceof TopItem.GraphqlSchema
						|| item instanceof TopItem.OperationResolver || item instanceof TopItem.TypeResolver
						|| item instanceof TopItem.Import) {
					notYetSupported(item.span(), describe(item));
				}
			}
		}
		this.diagnostics.sort(POSITION_ORDER);
		if (this.diagnostics.stream().anyMatch(Diagnostic::isError)) {
			throw new LoadException(this.diagnostics);
		}
		PathPatternParser parser = PathPatternParser.defaultInstance;
		Comparator<CompiledRoute> specificity = Comparator.comparing(
				(CompiledRoute route) -> parser.parse(route.pattern()), PathPattern.SPECIFICITY_COMPARATOR);
		routes.sort(specificity);
		List<Diagnostic> warnings = this.diagnostics.stream().filter((d) -> !d.isError()).toList();
		return new CompiledProgram(routes, pipelines, flags, this.configBlocks.values(), documents, warnings,
				new PipelineExecutor(pipelines, flags, this.options.runtime()), ErrorStatuses.of(this.registry.all()),
				this.resources);
	}

	/**
	 * The static checks of docs/concurrency.md#load-time-checks, once per root: every named pipeline, the
	 * featureFlags pipeline and every route.
	 */
	private void analyseTasks(List<Document> documents) {
		this.tasks = new TaskAnalysis(this.pipelineDeclarations, this.pipelineSources, this::callTarget,
				(file, span, message) -> error(file, span, message));
		this.pipelineDeclarations.forEach((name, declaration) -> this.tasks.analyseRoot(declaration.body(),
				sourceOf(declaration), name));
		if (this.featureFlags != null) {
			this.tasks.analyseRoot(this.featureFlags.body(), Objects.requireNonNull(this.featureFlagsSource),
					"featureFlags");
		}
		for (Document document : documents) {
			for (TopItem item : document.items()) {
				if (item instanceof TopItem.Route route) {
					this.tasks.analyseRoot(route.body(), document.source(),
							route.method().text() + " " + route.path().text());
				}
			}
		}
	}

	/**
	 * Whether a step calls a named pipeline: {@code |> pipeline: name}, or a bare name that no
	 * middleware has (docs/language.md#named-pipelines-and-the-feature-flag-pipeline).
	 */
	private boolean isPipelineCall(Step.Regular step) {
		String name = step.name().text();
		return name.equals("pipeline") || (step.config().isEmpty() && !this.registry.contains(name)
				&& !NOT_YET_SUPPORTED.contains(name) && !name.equals("join"));
	}

	/** The named pipeline a step calls, or {@code null} when it is not a call of a declared pipeline. */
	private @Nullable String callTarget(Step.Regular step) {
		if (!isPipelineCall(step)) {
			return null;
		}
		String name = step.name().text();
		if (name.equals("pipeline")) {
			return step.config().map((config) -> (config instanceof StepConfig.Reference reference)
					? reference.text() : ((StringLit) config).content().trim()).orElse(null);
		}
		return this.pipelineDeclarations.containsKey(name) ? name : null;
	}

	// ---- declarations -------------------------------------------------------------

	private void declare(TopItem item) {
		if (item instanceof TopItem.ConfigBlock block) {
			this.configBlocks.declare(block, this.options.environment(), this.source, this.diagnostics);
		}
		else if (item instanceof TopItem.Variable variable) {
			declareVariable(variable);
		}
		else if (item instanceof TopItem.NamedPipeline pipeline) {
			String name = pipeline.name().text();
			TopItem.NamedPipeline previous = this.pipelineDeclarations.get(name);
			if (previous != null) {
				error(pipeline.name().span(), "duplicate pipeline '" + name + "' (first declared at "
						+ location(sourceOf(previous), previous.span()) + ")");
				return;
			}
			this.pipelineDeclarations.put(name, pipeline);
			this.pipelineSources.put(pipeline, this.source);
		}
		else if (item instanceof TopItem.FeatureFlags flags) {
			if (this.featureFlags != null) {
				error(flags.span(), "featureFlags pipeline defined twice (first declared at "
						+ location(Objects.requireNonNull(this.featureFlagsSource), this.featureFlags.span()) + ")");
				return;
			}
			this.featureFlags = flags;
			this.featureFlagsSource = this.source;
		}
	}

	private void declareVariable(TopItem.Variable variable) {
		String type = variable.type().text();
		Optional<Middleware> middleware = this.registry.find(type);
		if (middleware.isEmpty() && NOT_YET_SUPPORTED.contains(type) && !type.equals("join")
				&& !type.equals("loader")) {
			notYetSupported(variable.type().span(), "a '" + type + "' variable");
			return;
		}
		if (middleware.isEmpty() && this.registry.isPartial()) {
			return; // a middleware of the application, checked when its bean exists
		}
		if (middleware.isEmpty() || !middleware.get().acceptsVariables()) {
			List<String> types = this.registry.names().stream()
				.filter((name) -> this.registry.find(name).map(Middleware::acceptsVariables).orElse(false))
				.toList();
			error(variable.type().span(), Suggestions.withSuggestion(
					"'" + type + "' is not a middleware type for variables", type, types));
			return;
		}
		String key = type + " " + variable.name().text();
		if (this.variables.containsKey(key)) {
			error(variable.name().span(), "duplicate variable " + type + " '" + variable.name().text() + "'");
			return;
		}
		this.variables.put(key, variable);
		this.variableSources.put(variable, this.source);
		this.variableTexts.computeIfAbsent(type, (t) -> new LinkedHashMap<>())
			.put(variable.name().text(), variable.value().content());
	}

	// ---- routes and pipelines -------------------------------------------------------

	private void compileRoute(TopItem.Route route, List<CompiledRoute> routes, Map<String, CompiledRoute> keys) {
		String method = route.method().text();
		String path = route.path().text();
		String pattern = CompiledRoute.toPattern(path);
		String key = method + " " + pattern.replaceAll("\\{\\*?[^}]*}", "{}");
		SourceLocation location = new SourceLocation(this.source.name(), route.span());
		CompiledRoute previous = keys.get(key);
		if (previous != null) {
			error(route.path().span(), "duplicate route " + method + " " + path + " (first declared at "
					+ previous.location().file() + ":" + previous.location().span().line() + ")");
			return;
		}
		CompiledRoute compiled = new CompiledRoute(method, path, pattern,
				compilePipeline(method + " " + path, route.body()), location, routeDoc(route));
		keys.put(key, compiled);
		routes.add(compiled);
	}

	/**
	 * The comment lines above a route (docs/openapi.md#route-comments); a malformed annotation or a
	 * schema that is not a JSON object is a load-time error at its position.
	 */
	private RouteDoc routeDoc(TopItem.Route route) {
		RouteDoc doc = RouteDoc.read(this.source, route.span(), this.diagnostics);
		for (RouteDoc.Response response : doc.responses()) {
			if (response.schema().isEmpty()) {
				continue;
			}
			try {
				if (!Json.parse(response.schema().get()).isObject()) {
					error(response.schemaSpan(), "the schema after @response " + response.status()
							+ " must be a JSON object");
				}
			}
			catch (Json.InvalidJsonException ex) {
				error(response.schemaSpan(), "the schema after @response " + response.status()
						+ " is not valid JSON: " + ex.getMessage());
			}
		}
		return doc;
	}

	CompiledPipeline compilePipeline(String name, Pipeline body) {
		List<Stage> stages = new ArrayList<>();
		for (Step step : body.steps()) {
			Stage stage = compileStep(step);
			if (stage != null) {
				stages.add(stage);
			}
		}
		return new CompiledPipeline(name, stages);
	}

	private @Nullable Stage compileStep(Step step) {
		if (step instanceof Step.Regular regular) {
			return compileRegular(regular);
		}
		if (step instanceof Step.Result result) {
			Map<String, Stage.Branch> branches = new LinkedHashMap<>();
			for (Step.Branch branch : result.branches()) {
				String type = branch.type().text();
				branches.put(type, new Stage.Branch(type, branch.status(),
						compilePipeline("branch " + type, branch.body())));
			}
			return new Stage.Result(branches, location(step.span()));
		}
		if (step instanceof Step.If block) {
			return new Stage.If(compilePipeline("if condition", block.condition()),
					compilePipeline("then", block.then()),
					block.otherwise().map((body) -> compilePipeline("else", body)).orElse(null),
					location(step.span()));
		}
		if (step instanceof Step.Dispatch dispatch) {
			List<Stage.Case> cases = new ArrayList<>();
			for (Step.Case branch : dispatch.cases()) {
				cases.add(new Stage.Case(this.tags.condition(branch.condition(), this.source),
						compilePipeline("case", branch.body())));
			}
			return new Stage.Dispatch(cases,
					dispatch.otherwise().map((body) -> compilePipeline("default", body)).orElse(null),
					location(step.span()));
		}
		Step.Foreach foreach = (Step.Foreach) step;
		String selector = foreach.selector().text();
		if (selector.startsWith(".")) {
			selector = selector.substring(1);
		}
		return new Stage.Foreach(selector, List.of(selector.split("\\.")),
				compilePipeline("foreach " + selector, foreach.body()), location(step.span()));
	}

	private @Nullable Stage compileRegular(Step.Regular step) {
		TagCompiler.Compiled tagInfo = this.tags.compile(step.tags(), this.source);
		String name = step.name().text();
		if (tagInfo.asyncTask() != null && (name.equals("join") || name.equals("cache"))) {
			error(Objects.requireNonNull(tagInfo.asyncSpan()), "@async is not allowed on '" + name + "' steps");
			return null;
		}
		Stage stage = name.equals("join") ? compileJoin(step, tagInfo) : compileSynchronous(step, tagInfo);
		if (stage == null || tagInfo.asyncTask() == null) {
			return stage;
		}
		return new Stage.Async(tagInfo.asyncTask(), stage, this.tasks.isJoinable(step), stage.location());
	}

	private @Nullable Stage compileJoin(Step.Regular step, TagCompiler.Compiled tagInfo) {
		if (step.args().isPresent()) {
			error(step.args().get().span(), "'join' takes no inline arguments");
			return null;
		}
		if (step.config().isEmpty()) {
			error(step.name().span(), "'join' needs a config");
			return null;
		}
		if (tagInfo.resultName() != null) {
			resultNotAllowed(tagInfo);
		}
		JoinList.Parsed list = JoinList.parse(step.config().get());
		if (list.error() != null) {
			error(Objects.requireNonNull(list.errorSpan()), list.error());
			return null;
		}
		List<Stage.JoinItem> items = list.items().stream()
			.map((item) -> new Stage.JoinItem(item.name(), item.optional()))
			.toList();
		return new Stage.Join(items, tagInfo.condition(), tagInfo.errorName(), location(step.span()));
	}

	private @Nullable Stage compileSynchronous(Step.Regular step, TagCompiler.Compiled tagInfo) {
		String name = step.name().text();
		Optional<Middleware> found = this.registry.find(name);
		if (isPipelineCall(step)) {
			return compileCall(step, tagInfo);
		}
		if (found.isEmpty()) {
			if (this.registry.isPartial() && !NOT_YET_SUPPORTED.contains(name)) {
				return null; // a middleware of the application, checked when its bean exists
			}
			if (NOT_YET_SUPPORTED.contains(name)) {
				notYetSupported(step.name().span(), "'" + name + "'");
			}
			else {
				error(step.name().span(),
						Suggestions.withSuggestion("unknown middleware '" + name + "'", name, this.registry.names()));
			}
			return null;
		}
		Middleware middleware = found.get();
		List<JqProgram> arguments = compileArguments(step, middleware.maxInlineArguments(), name);
		String config = "";
		String variable = null;
		ConfigText configText = null;
		if (step.config().isPresent()) {
			StepConfig stepConfig = step.config().get();
			if (stepConfig instanceof StringLit string) {
				config = string.content();
				configText = ConfigText.of(this.source, string);
			}
			else if (stepConfig instanceof StepConfig.Reference reference) {
				TopItem.Variable declared = this.variables.get(name + " " + reference.text());
				if (declared != null) {
					config = declared.value().content();
					variable = reference.text();
					configText = ConfigText.of(variableSource(declared), declared.value());
				}
				else {
					config = reference.text();
					configText = new ConfigText(this.source, reference.span().line(), reference.span().column(),
							reference.text());
					if (middleware.warnsOnIdentifierConfig()) {
						warning(reference.span(), Suggestions.withSuggestion("no " + name + " variable named '"
								+ reference.text() + "'; the identifier is used as literal config", reference.text(),
								variableNames(name)));
					}
				}
			}
		}
		if (middleware.requiresConfig() && config.isBlank()) {
			error(step.name().span(), "'" + name + "' needs a config");
			return null;
		}
		if (tagInfo.resultName() != null && !middleware.placesResult()) {
			resultNotAllowed(tagInfo);
		}
		SourceLocation location = location(step.span());
		List<String> argumentTexts = step.args().map((args) -> args.args().stream().map((a) -> a.text()).toList())
			.orElse(List.of());
		ExecutableStep executable;
		ConfigText stepText = configText;
		StepDefinition.LoadWarnings warnings = (message, inVariable, offset) -> {
			Diagnostic warning;
			if (inVariable != null && this.variables.containsKey(name + " " + inVariable)) {
				warning = Diagnostic.warning(variableSource(name, inVariable),
						variablePosition(name, inVariable, offset), message);
			}
			else if (offset >= 0 && stepText != null) {
				warning = Diagnostic.warning(stepText.file(), stepText.positionOf(offset), message);
			}
			else {
				warning = Diagnostic.warning(this.source,
						step.config().map((c) -> c.span()).orElse(step.name().span()), message);
			}
			if (this.middlewareDiagnostics.add(warning.headline())) {
				this.diagnostics.add(warning);
			}
		};
		try {
			Optional<SourceLocation> configStart = Optional.ofNullable(configText)
				.map((text) -> new SourceLocation(text.file().name(), Span.of(text.line(), text.column())));
			executable = middleware.compile(new StepDefinition(name, config, Optional.ofNullable(variable),
					argumentTexts, location, this.configBlocks.values(), this.settings, configStart,
					this.variableTexts.getOrDefault(name, Map.of()), warnings));
			if (executable instanceof AutoCloseable resource) {
				this.resources.add(resource);
			}
		}
		catch (InvalidStepException ex) {
			if (ex.isAlreadyReported()) {
				return null;
			}
			if (ex.isSetup() && !this.setupProblems.add(name + ": " + ex.getMessage())) {
				return null;
			}
			Diagnostic error;
			if (ex.variable() != null) {
				error = Diagnostic.error(variableSource(name, ex.variable()),
						variablePosition(name, ex.variable(), ex.offset()), ex.getMessage());
			}
			else if (ex.offset() >= 0 && configText != null) {
				error = Diagnostic.error(configText.file(), configText.positionOf(ex.offset()), ex.getMessage());
			}
			else {
				error = Diagnostic.error(this.source, step.config().map((c) -> c.span()).orElse(step.name().span()),
						ex.getMessage());
			}
			// a variable used by several steps reports its problem once
			if (this.middlewareDiagnostics.add(error.headline())) {
				this.diagnostics.add(error);
			}
			return null;
		}
		catch (RuntimeException ex) {
			Span at = step.config().map((c) -> c.span()).orElse(step.name().span());
			error(at, name + ": " + dev.webpipe.middleware.Errors.plainMessage(ex));
			return null;
		}
		return new Stage.Step(name, executable, middleware.behavior(), middleware.placesResult(), arguments,
				tagInfo.condition(), tagInfo.resultName(), variable,
				tagInfo.errorName(), middleware.transparentToLookahead(), location);
	}

	private @Nullable Stage compileCall(Step.Regular step, TagCompiler.Compiled tagInfo) {
		String target;
		Span targetSpan;
		if (step.name().text().equals("pipeline")) {
			if (step.config().isEmpty() || (step.config().get() instanceof StringLit string && string.content().isBlank())) {
				error(step.name().span(), "'pipeline' needs a config");
				return null;
			}
			StepConfig config = step.config().get();
			target = (config instanceof StepConfig.Reference reference) ? reference.text()
					: ((StringLit) config).content().trim();
			targetSpan = config.span();
			if (!this.pipelineDeclarations.containsKey(target)) {
				error(targetSpan, Suggestions.withSuggestion("unknown pipeline '" + target + "'", target,
						this.pipelineDeclarations.keySet()));
				return null;
			}
		}
		else {
			target = step.name().text();
			targetSpan = step.name().span();
			if (!this.pipelineDeclarations.containsKey(target)) {
				if (this.registry.isPartial()) {
					return null; // may be a middleware of the application without config
				}
				List<String> known = new ArrayList<>(this.pipelineDeclarations.keySet());
				known.addAll(this.registry.names());
				error(targetSpan, Suggestions.withSuggestion(
						"unknown step '" + target + "': not a middleware or pipeline", target, known));
				return null;
			}
		}
		if (tagInfo.resultName() != null) {
			resultNotAllowed(tagInfo);
		}
		List<JqProgram> arguments = compileArguments(step, 1, "pipeline");
		return new Stage.Call(target, arguments.isEmpty() ? null : arguments.get(0), tagInfo.condition(),
				tagInfo.errorName(), location(step.span()));
	}

	private List<JqProgram> compileArguments(Step.Regular step, int max, String name) {
		if (step.args().isEmpty() || step.args().get().args().isEmpty()) {
			return List.of();
		}
		var args = step.args().get().args();
		if (args.size() > max) {
			error(step.args().get().span(), (max == 0) ? "'" + name + "' takes no inline arguments"
					: "'" + name + "' takes at most " + max + " inline argument" + ((max == 1) ? "" : "s"));
			return List.of();
		}
		List<JqProgram> compiled = new ArrayList<>();
		for (var arg : args) {
			try {
				compiled.add(JqProgram.compile(arg.text()));
			}
			catch (JqCompileException ex) {
				error(ex.offset().isPresent() ? arg.positionOf(ex.offset().getAsInt()) : arg.span(),
						"jq compile error: " + ex.detail());
			}
		}
		return compiled;
	}

	// ---- helpers -----------------------------------------------------------------

	/** The position of {@code offset} inside the string of variable {@code variable} of middleware {@code name}. */
	private Span variablePosition(String name, String variable, int offset) {
		StringLit literal = declaredVariable(name, variable).value();
		return (offset >= 0) ? ConfigText.of(variableSource(name, variable), literal).positionOf(offset)
				: literal.span();
	}

	/** The declared variable {@code variable} of middleware {@code name}, known to exist. */
	private TopItem.Variable declaredVariable(String name, String variable) {
		return Objects.requireNonNull(this.variables.get(name + " " + variable), variable);
	}

	/** The file that declares variable {@code variable} of middleware {@code name}. */
	private SourceFile variableSource(String name, String variable) {
		return variableSource(declaredVariable(name, variable));
	}

	private SourceFile variableSource(TopItem.Variable declared) {
		return Objects.requireNonNull(this.variableSources.get(declared), declared.name().text());
	}

	/** The file that declares a named pipeline. */
	private SourceFile sourceOf(TopItem.NamedPipeline pipeline) {
		return Objects.requireNonNull(this.pipelineSources.get(pipeline), pipeline.name().text());
	}

	/** The names of the declared variables of middleware {@code type}. */
	private List<String> variableNames(String type) {
		return this.variables.values().stream()
			.filter((declared) -> declared.type().text().equals(type))
			.map((declared) -> declared.name().text())
			.toList();
	}

	/**
	 * Where the text of a step's config is written (the step's string, or the string of the variable it
	 * names), so that a position inside it can be reported where it is (docs/language.md#error-messages).
	 */
	private record ConfigText(SourceFile file, int line, int column, String text) {

		static ConfigText of(SourceFile file, StringLit string) {
			return new ConfigText(file, string.span().line(), string.span().column() + string.delimiterLength(),
					string.content());
		}

		Span positionOf(int offset) {
			return Span.within(this.line, this.column, this.text, offset);
		}

	}

	private SourceLocation location(Span span) {
		return new SourceLocation(this.source.name(), span);
	}

	private static String location(SourceFile file, Span span) {
		return file.name() + ":" + span.line();
	}

	private void notYetSupported(Span span, String construct) {
		error(span, construct + " is not supported yet by this version of WebPipe for Spring");
	}

	private static String describe(TopItem item) {
		if (item instanceof TopItem.Import) {
			return "import";
		}
		return "server-side GraphQL (graphqlSchema, query, mutation, resolver)";
	}

	void error(Span span, String message) {
		this.diagnostics.add(Diagnostic.error(this.source, span, message));
	}

	/** {@code @result} on a step whose middleware places no result value (docs/language.md#tags). */
	private void resultNotAllowed(TagCompiler.Compiled tagInfo) {
		error(Objects.requireNonNull(tagInfo.resultSpan()),
				"@result is only allowed on steps whose middleware places a result value (pg, fetch, graphql, …)");
	}

	/** An error in {@code file}, once (a variable's config used by several steps fails for each of them). */
	private void error(SourceFile file, Span span, String message) {
		Diagnostic diagnostic = Diagnostic.error(file, span, message);
		if (!this.diagnostics.contains(diagnostic)) {
			this.diagnostics.add(diagnostic);
		}
	}

	private void warning(Span span, String message) {
		this.diagnostics.add(Diagnostic.warning(this.source, span, message));
	}

	/**
	 * Options of a compilation.
	 *
	 * @param environment resolves {@code $NAME} in config blocks
	 * @param configOverrides {@code webpipe.config.<block>.<key>} values
	 * @param runtime settings of the program's executor
	 */
	public record CompilerOptions(Function<String, @Nullable String> environment,
			Map<String, Map<String, String>> configOverrides, RuntimeSettings runtime) {

		public CompilerOptions(Function<String, @Nullable String> environment,
				Map<String, Map<String, String>> configOverrides) {
			this(environment, configOverrides, RuntimeSettings.defaults());
		}

		public static CompilerOptions defaults() {
			return new CompilerOptions(System::getenv, Map.of());
		}

	}

}
