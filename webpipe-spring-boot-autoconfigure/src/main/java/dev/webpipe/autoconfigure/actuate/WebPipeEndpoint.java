package dev.webpipe.autoconfigure.actuate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.CompiledRoute;
import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.language.Document;
import dev.webpipe.language.SourceLocation;
import dev.webpipe.language.TopItem;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.runtime.CompiledPipeline;
import dev.webpipe.runtime.Stage;

/**
 * {@code /actuator/webpipe}: the program that is serving (docs/operations.md#the-webpipe-endpoint):
 * its files, routes, named pipelines, variables, middleware, the {@code webpipe.*} properties in
 * force (sanitized) and the result of the last reload.
 */
@Endpoint(id = "webpipe")
public class WebPipeEndpoint {

	private final Supplier<ProgramHolder.Loaded> program;

	private final MiddlewareRegistry registry;

	private final Map<String, Middleware> applicationMiddleware;

	private final WebPipePropertiesReport properties;

	private final Supplier<@Nullable Object> lastReload;

	/**
	 * @param holder the program now serving, and the last reload's result
	 * @param registry the registered middleware
	 * @param applicationMiddleware the application's middleware beans by bean name (the others are built-in)
	 * @param properties reports the {@code webpipe.*} properties, sanitized
	 */
	public WebPipeEndpoint(ProgramHolder holder, MiddlewareRegistry registry,
			Map<String, Middleware> applicationMiddleware, WebPipePropertiesReport properties) {
		this(holder::current, registry, applicationMiddleware, properties, holder::lastReload);
	}

	private WebPipeEndpoint(Supplier<ProgramHolder.Loaded> program, MiddlewareRegistry registry,
			Map<String, Middleware> applicationMiddleware, WebPipePropertiesReport properties,
			Supplier<@Nullable Object> lastReload) {
		this.program = program;
		this.registry = registry;
		this.applicationMiddleware = Map.copyOf(applicationMiddleware);
		this.properties = properties;
		this.lastReload = lastReload;
	}

	@ReadOperation
	public WebPipeDescriptor webpipe(SecurityContext securityContext) {
		ProgramHolder.Loaded serving = this.program.get();
		CompiledProgram program = serving.program();
		Instant loadedAt = serving.loadedAt();
		return new WebPipeDescriptor(loadedAt, files(program, loadedAt), routes(program), pipelines(program),
				variables(program), middleware(), this.properties.report(securityContext), this.lastReload.get());
	}

	private static List<FileDescriptor> files(CompiledProgram program, Instant loadedAt) {
		List<FileDescriptor> files = new ArrayList<>();
		for (Document document : program.documents()) {
			files.add(new FileDescriptor(document.file(), loadedAt, document.itemsOf(TopItem.Route.class).size()));
		}
		return files;
	}

	private static List<RouteDescriptor> routes(CompiledProgram program) {
		List<RouteDescriptor> routes = new ArrayList<>();
		for (CompiledRoute route : program.routes()) {
			routes.add(new RouteDescriptor(route.method(), route.path(), route.pattern(), line(route.location()),
					steps(route.pipeline())));
		}
		return routes;
	}

	private static List<PipelineDescriptor> pipelines(CompiledProgram program) {
		Map<String, String> locations = new LinkedHashMap<>();
		for (Document document : program.documents()) {
			for (TopItem.NamedPipeline pipeline : document.itemsOf(TopItem.NamedPipeline.class)) {
				locations.putIfAbsent(pipeline.name().text(), document.file() + ":" + pipeline.span().line());
			}
		}
		List<PipelineDescriptor> pipelines = new ArrayList<>();
		program.pipelines().entrySet().stream().sorted(Map.Entry.comparingByKey())
			.forEach((entry) -> pipelines.add(new PipelineDescriptor(entry.getKey(), locations.get(entry.getKey()),
					steps(entry.getValue()))));
		return pipelines;
	}

	private static Map<String, List<VariableDescriptor>> variables(CompiledProgram program) {
		Map<String, List<VariableDescriptor>> variables = new LinkedHashMap<>();
		for (Document document : program.documents()) {
			for (TopItem.Variable variable : document.itemsOf(TopItem.Variable.class)) {
				variables.computeIfAbsent(variable.type().text(), (key) -> new ArrayList<>())
					.add(new VariableDescriptor(variable.name().text(), document.file() + ":" + variable.span().line()));
			}
		}
		return variables;
	}

	private List<MiddlewareDescriptor> middleware() {
		Map<Middleware, String> beanNames = new java.util.IdentityHashMap<>();
		this.applicationMiddleware.forEach((beanName, middleware) -> beanNames.put(middleware, beanName));
		List<MiddlewareDescriptor> middleware = new ArrayList<>();
		Collection<Middleware> all = this.registry.all();
		for (Middleware candidate : all) {
			String bean = beanNames.get(candidate);
			middleware.add(new MiddlewareDescriptor(candidate.name(), candidate.getClass().getName(),
					(bean != null) ? "application" : "built-in", bean));
		}
		middleware.sort(java.util.Comparator.comparing(MiddlewareDescriptor::name));
		return middleware;
	}

	/** The top-level steps of a pipeline as {@code middleware@line}. */
	static List<String> steps(CompiledPipeline pipeline) {
		return pipeline.stages().stream().map(WebPipeEndpoint::step).toList();
	}

	private static String step(Stage stage) {
		int line = stage.location().span().line();
		if (stage instanceof Stage.Step step) {
			return step.middleware() + "@" + line;
		}
		if (stage instanceof Stage.Call call) {
			return "pipeline:" + call.pipeline() + "@" + line;
		}
		if (stage instanceof Stage.Async async) {
			return step(async.inner()) + " @async(" + async.task() + ")";
		}
		String keyword = (stage instanceof Stage.Join) ? "join" : (stage instanceof Stage.Result) ? "result"
				: (stage instanceof Stage.If) ? "if" : (stage instanceof Stage.Dispatch) ? "dispatch" : "foreach";
		return keyword + "@" + line;
	}

	private static String line(SourceLocation location) {
		return location.file() + ":" + location.span().line();
	}

	/**
	 * The body of {@code /actuator/webpipe}.
	 *
	 * @param loadedAt when the program now serving was loaded
	 * @param files the {@code .wp} files
	 * @param routes every route, most specific first
	 * @param pipelines the named pipelines
	 * @param variables the variables by middleware
	 * @param middleware the registered middleware
	 * @param properties the {@code webpipe.*} properties in force, sanitized
	 * @param lastReload the result of the last reload, or {@code null}
	 */
	public record WebPipeDescriptor(Instant loadedAt, List<FileDescriptor> files, List<RouteDescriptor> routes,
			List<PipelineDescriptor> pipelines, Map<String, List<VariableDescriptor>> variables,
			List<MiddlewareDescriptor> middleware, Map<String, @Nullable Object> properties,
			@Nullable Object lastReload) {
	}

	/** A {@code .wp} file, when it was loaded and how many routes it declares. */
	public record FileDescriptor(String name, Instant loadedAt, int routes) {
	}

	/** A route: method, path as written, Spring pattern, {@code file:line} and steps as {@code middleware@line}. */
	public record RouteDescriptor(String method, String path, String pattern, String location, List<String> steps) {
	}

	/** A named pipeline. */
	public record PipelineDescriptor(String name, @Nullable String location, List<String> steps) {
	}

	/** A variable ({@code pg getUser = `…`}): its name and {@code file:line}; never its value. */
	public record VariableDescriptor(String name, String location) {
	}

	/**
	 * A registered middleware.
	 *
	 * @param origin {@code built-in} or {@code application}
	 * @param bean the bean name of an application middleware, else {@code null}
	 */
	public record MiddlewareDescriptor(String name, String className, String origin, @Nullable String bean) {
	}

}
