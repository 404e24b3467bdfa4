package dev.webpipe.autoconfigure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternUtils;
import org.springframework.core.codec.AbstractDataBufferDecoder;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import reactor.core.scheduler.Schedulers;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.autoconfigure.BuiltinMiddleware;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.middleware.log.HeaderRedaction;
import dev.webpipe.middleware.jq.JqMiddleware;
import dev.webpipe.runtime.DetachedTasks;
import dev.webpipe.runtime.RuntimeSettings;
import dev.webpipe.instrumentation.WebPipeInstrumentation;
import dev.webpipe.runtime.jq.JqLimits;
import dev.webpipe.web.PrincipalReader;
import dev.webpipe.web.RequestStateReader;
import dev.webpipe.web.ServerTimingInstrumentation;
import dev.webpipe.web.SpringSecurityPrincipalReader;
import dev.webpipe.web.WebPipeHandler;
import dev.webpipe.web.WebPipeRouterFunctions;

/**
 * Auto-configuration of WebPipe for Spring: loads and compiles the {@code .wp} files once at
 * start-up (and again on every change with {@code webpipe.reload.enabled}) and serves their routes through
 * WebFlux.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration",
		"org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
		"org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "webpipe.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WebPipeProperties.class)
@Import({ AuthConfiguration.class, CacheAndRateLimitConfiguration.class, FetchConfiguration.class,
		GraphqlConfiguration.class, LuaConfiguration.class, PgConfiguration.class })
public final class WebPipeAutoConfiguration {

	/** The order of the 405/OPTIONS fallback: after annotated controllers (0), before static resources. */
	static final int FALLBACK_ORDER = 1;

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@Import(MetricsConfiguration.class)
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MiddlewareRegistry webPipeMiddlewareRegistry(ListableBeanFactory beanFactory,
				ObjectProvider<WebPipeBuiltins> contributed, WebPipeProperties properties) {
			WebPipeProperties.Jq jq = properties.getJq();
			JqLimits limits = new JqLimits(jq.getMaxEvaluationTime(), jq.getMaxEmittedValues());
			List<Middleware> builtins = new ArrayList<>(
					BuiltinMiddleware.standalone(new JqMiddleware(limits, Schedulers.boundedElastic()),
							new HeaderRedaction(properties.getLog().getRedactHeaders())));
			contributed.orderedStream().forEach((set) -> builtins.addAll(set.middleware()));
			Map<String, Middleware> application = beanFactory.getBeansOfType(Middleware.class);
			return MiddlewareRegistry.of(builtins, application);
		}

		@Bean
		@ConditionalOnMissingBean
		DetachedTaskLifecycle webPipeDetachedTasks(WebPipeProperties properties) {
			return new DetachedTaskLifecycle(new DetachedTasks(properties.getAsync().getMaxDetached()),
					properties.getAsync().getDetachedTimeout());
		}

		/**
		 * The program that serves, read and compiled at start-up; everything that reads the program reads it
		 * through this holder (docs/architecture.md#the-program-holder).
		 */
		@Bean
		@ConditionalOnMissingBean
		ProgramHolder webPipeProgram(WebPipeProperties properties, MiddlewareRegistry registry,
				ResourceLoader resourceLoader, Environment environment, DetachedTaskLifecycle detachedTasks,
				ObjectProvider<WebPipeInstrumentation> instrumentations) {
			CompiledProgram program = programSource(properties, registry, resourceLoader, environment, detachedTasks,
					instrumentations).get();
			return new ProgramHolder(program, Instant.now(), properties.getReload().getDrainTimeout());
		}

		/** Hot reload (docs/reload.md): watches the {@code file:} locations and replaces the program. */
		@Bean
		@ConditionalOnBooleanProperty(name = "webpipe.reload.enabled")
		@ConditionalOnMissingBean
		WebPipeReloader webPipeReloader(ProgramHolder holder, WebPipeProperties properties,
				MiddlewareRegistry registry, ResourceLoader resourceLoader, Environment environment,
				DetachedTaskLifecycle detachedTasks, ObjectProvider<WebPipeInstrumentation> instrumentations,
				ObjectProvider<WebPipeLuaScripts> luaScripts) {
			Supplier<CompiledProgram> load = programSource(properties, registry, resourceLoader, environment,
					detachedTasks, instrumentations);
			WebPipeLuaScripts scripts = luaScripts.getIfAvailable();
			Supplier<CompiledProgram> reload = (scripts != null) ? () -> scripts.reloading(load) : load;
			List<String> locations = new ArrayList<>(properties.getRoutesLocation());
			if (scripts != null) {
				locations.add(properties.getLua().getScriptsLocation());
			}
			List<java.nio.file.Path> folders = WebPipeReloader
				.folders(ResourcePatternUtils.getResourcePatternResolver(resourceLoader), locations);
			return new WebPipeReloader(holder, reload, folders, properties.getReload().getDebounce());
		}

		/** Reads and compiles the {@code .wp} files of {@code webpipe.routes-location}, at start-up and on reload. */
		private static Supplier<CompiledProgram> programSource(WebPipeProperties properties,
				MiddlewareRegistry registry, ResourceLoader resourceLoader, Environment environment,
				DetachedTaskLifecycle detachedTasks, ObjectProvider<WebPipeInstrumentation> instrumentations) {
			ResourcePatternResolver resolver = ResourcePatternUtils.getResourcePatternResolver(resourceLoader);
			RuntimeSettings runtime = new RuntimeSettings(properties.getAsync().getTaskTimeout(),
					properties.getAsync().getDetachedTimeout(), properties.isServerTiming(), detachedTasks.tasks(),
					properties.getFeatureFlags().getTimeout(), properties.getForeach().getMaxItems(),
					instrumentation(instrumentations.orderedStream().toList()));
			Compiler.CompilerOptions options = new Compiler.CompilerOptions(environment::getProperty,
					properties.getConfig(), runtime);
			return () -> WebPipeProgramLoader.load(resolver, properties.getRoutesLocation(), registry, options);
		}

		/** The beans in their order as one, or {@code null} for none: then the runtime calls nothing. */
		private static @Nullable WebPipeInstrumentation instrumentation(List<WebPipeInstrumentation> beans) {
			if (beans.isEmpty()) {
				return null;
			}
			return (beans.size() == 1) ? beans.get(0) : WebPipeInstrumentation.compose(beans);
		}

		@Bean
		@ConditionalOnBooleanProperty(name = "webpipe.server-timing")
		ServerTimingInstrumentation webPipeServerTiming() {
			return new ServerTimingInstrumentation();
		}

		@Bean
		@ConditionalOnMissingBean
		WebPipeHandler webPipeHandler(ProgramHolder holder, WebPipeProperties properties,
				Environment environment, ObjectProvider<ServerCodecConfigurer> codecConfigurer,
				ObjectProvider<ServerTimingInstrumentation> serverTiming, ObjectProvider<PrincipalReader> principals) {
			int limit = maxInMemorySize(codecConfigurer.getIfAvailable(), environment);
			Set<String> envNames = new LinkedHashSet<>(List.of(environment.getActiveProfiles()));
			if (properties.getEnv() != null) {
				envNames.add(properties.getEnv());
			}
			RequestStateReader reader = new RequestStateReader(limit, properties.getRequest().getMaxNestingDepth());
			return new WebPipeHandler(holder.program(), reader, properties.getEnv(), envNames,
					properties.getErrors().getIncludeDetails(), serverTiming.getIfUnique(), principals.getIfUnique());
		}

		/** {@code $context.principal} when the application uses Spring Security (docs/security.md#spring-security). */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = { "org.springframework.security.core.Authentication",
				"org.springframework.security.web.server.SecurityWebFilterChain" })
		static class SpringSecurityConfiguration {

			@Bean
			@ConditionalOnMissingBean
			PrincipalReader webPipePrincipalReader() {
				return new SpringSecurityPrincipalReader();
			}

		}

		@Bean
		@ConditionalOnMissingBean(name = "webPipeRouterFunction")
		RouterFunction<ServerResponse> webPipeRouterFunction(ProgramHolder holder, WebPipeHandler handler) {
			return WebPipeRouterFunctions.routes(holder, handler);
		}

		@Bean
		@ConditionalOnMissingBean(name = "webPipeFallbackHandlerMapping")
		RouterFunctionMapping webPipeFallbackHandlerMapping(ProgramHolder holder,
				ServerCodecConfigurer codecConfigurer) {
			RouterFunctionMapping mapping = new RouterFunctionMapping(WebPipeRouterFunctions.fallback(holder));
			mapping.setOrder(FALLBACK_ORDER);
			mapping.setMessageReaders(codecConfigurer.getReaders());
			return mapping;
		}

	}

	/**
	 * The request body limit of the application's codecs: what its configured {@link ServerCodecConfigurer} decodes
	 * with (Boot's {@code spring.http.codecs.max-in-memory-size} and any codec customizer applied), else the property,
	 * else Spring's 256 KB (docs/configuration.md).
	 */
	static int maxInMemorySize(@Nullable ServerCodecConfigurer codecConfigurer, Environment environment) {
		if (codecConfigurer != null) {
			for (HttpMessageReader<?> reader : codecConfigurer.getReaders()) {
				if (reader instanceof DecoderHttpMessageReader<?> decoding
						&& decoding.getDecoder() instanceof AbstractDataBufferDecoder<?> decoder) {
					return decoder.getMaxInMemorySize();
				}
			}
		}
		String property = environment.getProperty("spring.http.codecs.max-in-memory-size");
		if (property == null || property.isBlank()) {
			return RequestStateReader.DEFAULT_MAX_IN_MEMORY_SIZE;
		}
		return (int) Math.min(Integer.MAX_VALUE, DataSize.parse(property.trim()).toBytes());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class ServletConfiguration {

		@Bean
		static WebFluxRequiredCheck webPipeWebFluxRequiredCheck(WebPipeProperties properties,
				ResourceLoader resourceLoader) {
			return new WebFluxRequiredCheck(properties, resourceLoader);
		}

	}

}
