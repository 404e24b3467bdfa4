package dev.webpipe.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.webpipe.compile.InvalidConfigPropertiesException;
import dev.webpipe.language.LoadException;
import dev.webpipe.middleware.DuplicateMiddlewareException;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.middleware.ReservedMiddlewareNameException;
import dev.webpipe.middleware.lua.LuaScriptException;

/** Failure analyzers for the start-up failures a user can cause. */
final class WebPipeFailureAnalyzers {

	private WebPipeFailureAnalyzers() {
	}

	/** The {@code .wp} files have errors: lists every diagnostic. */
	static final class LoadFailureAnalyzer extends AbstractFailureAnalyzer<LoadException> {

		@Override
		protected FailureAnalysis analyze(Throwable rootFailure, LoadException cause) {
			return new FailureAnalysis("WebPipe could not load the .wp files: " + cause.getMessage(),
					"Fix the .wp files at the positions listed above (file:line:col).", cause);
		}

	}

	/** An explicitly set routes location finds no file. */
	static final class RoutesNotFoundFailureAnalyzer extends AbstractFailureAnalyzer<RoutesNotFoundException> {

		@Override
		protected FailureAnalysis analyze(Throwable rootFailure, RoutesNotFoundException cause) {
			return new FailureAnalysis(cause.getMessage() + ".",
					"Check webpipe.routes-location: use a Spring resource location such as "
							+ "'file:routes/' (every .wp file below that folder) or 'classpath*:/routes/**/*.wp', "
							+ "or remove the property to use the default.",
					cause);
		}

	}

	/** A servlet application has {@code .wp} files. */
	static final class WebFluxRequiredFailureAnalyzer extends AbstractFailureAnalyzer<WebFluxRequiredException> {

		@Override
		protected FailureAnalysis analyze(Throwable rootFailure, WebFluxRequiredException cause) {
			return new FailureAnalysis(
					"WebPipe serves .wp routes through Spring WebFlux, but this application runs on the servlet "
							+ "stack (Spring MVC), so the routes in " + cause.files() + " would not be served.",
					"Depend on spring-boot-starter-webflux instead of spring-boot-starter-web (or set "
							+ "spring.main.web-application-type=reactive), or set webpipe.enabled=false.",
					cause);
		}

	}

	/** Two application beans declare the same middleware name. */
	static final class DuplicateMiddlewareFailureAnalyzer
			extends AbstractFailureAnalyzer<DuplicateMiddlewareException> {

		@Override
		protected FailureAnalysis analyze(Throwable rootFailure, DuplicateMiddlewareException cause) {
			return new FailureAnalysis(
					"Two middleware beans declare the name '" + cause.middleware() + "': bean '" + cause.firstBean()
							+ "' and bean '" + cause.secondBean() + "'.",
					"Give each Middleware bean a distinct name(), or remove one of the two beans.", cause);
		}

	}

	/** An application middleware bean is named like a word of the language. */
	static final class ReservedMiddlewareNameFailureAnalyzer
			extends AbstractFailureAnalyzer<ReservedMiddlewareNameException> {

		@Override
		protected FailureAnalysis analyze(Throwable rootFailure, ReservedMiddlewareNameException cause) {
			return new FailureAnalysis(
					"Middleware bean '" + cause.bean() + "' is named '" + cause.middleware()
							+ "', a word of the .wp language, so no step could reach it.",
					"Return another name from the bean's name(); these are reserved: "
							+ String.join(", ", new java.util.TreeSet<>(MiddlewareRegistry.RESERVED)) + ".",
					cause);
		}

	}

	/** A {@code webpipe.config.*} property names no declared block or key, or its value does not bind. */
	static final class InvalidConfigPropertiesFailureAnalyzer
			extends AbstractFailureAnalyzer<InvalidConfigPropertiesException> {

		@Override
		protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigPropertiesException cause) {
			return new FailureAnalysis("WebPipe cannot apply these webpipe.config properties:\n  "
					+ String.join("\n  ", cause.problems()),
					"Name a config block that a registered middleware declares and one of its keys (case, dashes "
							+ "and underscores do not count), or remove the property.",
					cause);
		}

	}

	/** A preloaded Lua script cannot be loaded. */
	static final class LuaScriptFailureAnalyzer extends AbstractFailureAnalyzer<LuaScriptException> {

		@Override
		protected FailureAnalysis analyze(Throwable rootFailure, LuaScriptException cause) {
			return new FailureAnalysis("WebPipe could not preload the Lua scripts of webpipe.lua.scripts-location: "
					+ cause.getMessage() + ".",
					"Fix the script named above, rename one of two scripts with the same file name, or point "
							+ "webpipe.lua.scripts-location at another folder.",
					cause);
		}

	}

	/** {@code webpipe.store.type=redis} without a reactive Redis connection factory. */
	static final class RedisStoreUnavailableFailureAnalyzer
			extends AbstractFailureAnalyzer<RedisStoreUnavailableException> {

		@Override
		protected FailureAnalysis analyze(Throwable rootFailure, RedisStoreUnavailableException cause) {
			String description = cause.onClassPath()
					? "webpipe.store.type=redis keeps cache entries and rate-limit windows in Redis, but the "
							+ "application has no ReactiveRedisConnectionFactory bean."
					: "webpipe.store.type=redis keeps cache entries and rate-limit windows in Redis, but Spring Data "
							+ "Redis is not on the class path, so the application has no Redis connection.";
			String action = cause.onClassPath()
					? "Let Spring Boot create the connection factory (spring.data.redis.host, spring.data.redis.port, "
							+ "with Lettuce, the default client), define a ReactiveRedisConnectionFactory bean, or set "
							+ "webpipe.store.type=local."
					: "Add the dependency org.springframework.boot:spring-boot-starter-data-redis-reactive and set "
							+ "spring.data.redis.host and spring.data.redis.port, or set webpipe.store.type=local.";
			return new FailureAnalysis(description, action, cause);
		}

	}

}
