package dev.webpipe.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternUtils;
import reactor.core.scheduler.Schedulers;

import dev.webpipe.compile.Compiler;
import dev.webpipe.language.LoadException;
import dev.webpipe.language.SourceFile;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.middleware.jq.JqMiddleware;
import dev.webpipe.middleware.log.HeaderRedaction;
import dev.webpipe.middleware.lua.LuaMiddleware;
import dev.webpipe.runtime.jq.JqLimits;

/**
 * Checks the {@code .wp} files as soon as the application's properties are read, before any bean exists and before
 * anything slow starts (docs/configuration.md#early-check): syntax, jq programs, Lua syntax, names of pipelines,
 * tags and joins. An error stops start-up there, with the diagnostics the auto-configuration would report later
 * (the same {@link LoadException}, so the same failure analysis). Middleware that need beans ({@code pg},
 * {@code fetch}, application middleware, ...) are checked by the auto-configuration as before.
 * <p>
 * Ordered right after Spring Boot reads the configuration files, so that it runs before other environment post
 * processors, such as one that starts an embedded database.
 */
public final class WebPipeEarlyCheck implements EnvironmentPostProcessor, Ordered {

	/** Right after the configuration files are read (Spring Boot's config data processor). */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 11;

	private final Log logger;

	public WebPipeEarlyCheck(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(WebPipeEarlyCheck.class);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (application.getWebApplicationType() != WebApplicationType.REACTIVE) {
			return; // the routes are served by WebFlux only; a servlet application is told so later
		}
		WebPipeProperties properties = Binder.get(environment)
			.bind("webpipe", WebPipeProperties.class)
			.orElseGet(WebPipeProperties::new);
		if (!properties.isEnabled() || !properties.isEarlyCheck()) {
			return;
		}
		long start = System.nanoTime();
		ResourceLoader loader = (application.getResourceLoader() != null) ? application.getResourceLoader()
				: new DefaultResourceLoader(application.getClassLoader());
		ResourcePatternResolver resolver = ResourcePatternUtils.getResourcePatternResolver(loader);
		List<SourceFile> files = WebPipeProgramLoader.read(resolver, properties.getRoutesLocation(), false);
		try {
			Compiler.load(files, registry(properties),
					new Compiler.CompilerOptions(environment::getProperty, properties.getConfig()));
		}
		catch (RuntimeException ex) {
			if (ex instanceof LoadException) {
				throw ex;
			}
			// not a diagnostic of the files: the auto-configuration meets it again and reports it with its beans
			this.logger.debug("WebPipe's early check stopped; the application context checks the .wp files", ex);
			return;
		}
		this.logger.debug("WebPipe checked " + files.size() + " .wp files before start-up in "
				+ (System.nanoTime() - start) / 1_000_000 + " ms");
	}

	/** The built-in middleware that need no bean, with the budgets of the properties. */
	private static MiddlewareRegistry registry(WebPipeProperties properties) {
		WebPipeProperties.Jq jq = properties.getJq();
		JqLimits limits = new JqLimits(jq.getMaxEvaluationTime(), jq.getMaxEmittedValues());
		List<Middleware> known = new ArrayList<>(BuiltinMiddleware.standalone(
				new JqMiddleware(limits, Schedulers.boundedElastic()),
				new HeaderRedaction(properties.getLog().getRedactHeaders())));
		known.add(new LuaMiddleware());
		return MiddlewareRegistry.partial(known);
	}

}
