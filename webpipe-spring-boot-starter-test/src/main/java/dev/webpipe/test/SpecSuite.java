package dev.webpipe.test;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.LoadException;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.middleware.cache.CacheStore;
import dev.webpipe.middleware.cache.LocalCacheStore;
import dev.webpipe.middleware.ratelimit.LocalRateLimitStore;
import dev.webpipe.middleware.ratelimit.RateLimitStore;

/**
 * The {@code describe}/{@code it} tests of an application's {@code .wp} files, checked and
 * ready to run against the running application context.
 */
final class SpecSuite {

	private static final Log logger = LogFactory.getLog(SpecSuite.class);

	private final List<SpecLoader.Group> groups;

	private final SpecRunner runner;

	private final List<Runnable> resets;

	private SpecSuite(List<SpecLoader.Group> groups, SpecRunner runner, List<Runnable> resets) {
		this.resets = List.copyOf(resets);
		this.groups = List.copyOf(groups);
		this.runner = runner;
	}

	/**
	 * Loads the tests of the application's program.
	 * @throws LoadException with every error of the tests (docs/testing.md#errors-found-before-the-tests-run)
	 * @throws IllegalStateException when the context serves no WebPipe program
	 */
	static SpecSuite load(ApplicationContext context) {
		// the program serving now (docs/architecture.md#the-program-holder)
		ProgramHolder holder = context.getBeanProvider(ProgramHolder.class).getIfAvailable();
		CompiledProgram program = (holder != null) ? holder.program() : null;
		MiddlewareRegistry registry = context.getBeanProvider(MiddlewareRegistry.class).getIfAvailable();
		if (program == null || registry == null) {
			throw new IllegalStateException("No WebPipe program in this application context: the .wp tests run in a "
					+ "reactive web application with the WebPipe starter (and webpipe.enabled not false)");
		}
		if (context.getBeanProvider(SpecInstrumentation.class).getIfAvailable() == null) {
			throw new IllegalStateException("The .wp tests need the test runner's instrumentation, which "
					+ "WebPipeTestAutoConfiguration registers when JUnit Jupiter is on the class path or webpipe.test "
					+ "is set; it is missing from this application context");
		}
		Environment environment = context.getEnvironment();
		SpecLoader loader = new SpecLoader(program, registry, (file, line) -> source(context, file, line));
		List<SpecLoader.Group> groups = loader.load();
		List<Diagnostic> diagnostics = new ArrayList<>(loader.diagnostics());
		for (Diagnostic diagnostic : diagnostics) {
			if (!diagnostic.isError()) {
				logger.warn(diagnostic.render());
			}
		}
		if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
			throw new LoadException(diagnostics);
		}
		HttpHandler httpHandler = context.getBeanProvider(HttpHandler.class)
			.getIfAvailable(() -> WebHttpHandlerBuilder.applicationContext(context).build());
		String env = environment.getProperty("webpipe.env");
		Set<String> envNames = new LinkedHashSet<>(List.of(environment.getActiveProfiles()));
		if (env != null) {
			envNames.add(env);
		}
		List<Runnable> resets = new ArrayList<>();
		context.getBeanProvider(CacheStore.class).stream()
			.forEach((store) -> {
				if (store instanceof LocalCacheStore local) {
					resets.add(local::clear);
				}
			});
		context.getBeanProvider(RateLimitStore.class).stream()
			.forEach((store) -> {
				if (store instanceof LocalRateLimitStore local) {
					resets.add(local::clear);
				}
			});
		return new SpecSuite(groups, new SpecRunner(program, httpHandler, env, envNames), resets);
	}

	List<SpecLoader.Group> groups() {
		return this.groups;
	}

	/** Runs one test, after emptying the in-process cache and rate-limit stores (docs/testing.md). */
	SpecResult run(Spec spec) {
		this.resets.forEach(Runnable::run);
		return this.runner.run(spec);
	}

	/**
	 * Where an IDE finds a test: {@code classpath:/routes/x.wp?line=3} for files found on the
	 * class path, the file's URI otherwise; {@code null} when it cannot be told.
	 */
	private static @Nullable URI source(ApplicationContext context, String file, int line) {
		Environment environment = context.getEnvironment();
		String[] locations = environment.getProperty("webpipe.routes-location", String[].class,
				new String[] { "classpath*:/routes/**/*.wp" });
		for (String location : locations) {
			String trimmed = location.trim();
			String folder = trimmed.endsWith("/") ? trimmed : null;
			String candidate;
			if (folder != null) {
				candidate = folder.replace("classpath*:", "classpath:") + file;
			}
			else if (trimmed.startsWith("classpath")) {
				candidate = "classpath:/" + file;
			}
			else {
				continue;
			}
			try {
				Resource resource = context.getResource(candidate);
				if (!resource.exists()) {
					continue;
				}
				String uri = candidate.startsWith("classpath:") ? "classpath:/"
						+ candidate.substring("classpath:".length()).replaceFirst("^/+", "")
						: resource.getURI().toString();
				return URI.create(uri + "?line=" + line);
			}
			catch (Exception ex) {
				// no source for this location
			}
		}
		return null;
	}

}
