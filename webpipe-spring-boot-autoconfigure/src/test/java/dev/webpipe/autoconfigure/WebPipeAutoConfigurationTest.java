package dev.webpipe.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.language.LoadException;
import dev.webpipe.middleware.DuplicateMiddlewareException;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.middleware.ReservedMiddlewareNameException;
import dev.webpipe.middleware.lua.LuaScriptException;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.web.WebPipeHandler;

import static org.assertj.core.api.Assertions.assertThat;

/** Conditions, start-up cases and back-off of {@link WebPipeAutoConfiguration}. */
class WebPipeAutoConfigurationTest {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebPipeAutoConfiguration.class))
		.withBean(ServerCodecConfigurer.class, ServerCodecConfigurer::create);

	@Test
	void loadsTheWpFilesOfTheDefaultLocation() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ProgramHolder.class).doesNotHaveBean(CompiledProgram.class)
				.hasBean("webPipeRouterFunction").hasBean("webPipeFallbackHandlerMapping")
				.hasSingleBean(DetachedTaskLifecycle.class);
			assertThat(context.getBean(ProgramHolder.class).program().executor().settings().detachedTasks())
				.isSameAs(context.getBean(DetachedTaskLifecycle.class).tasks());
			assertThat(context.getBean(ProgramHolder.class).program().routes()).extracting((r) -> r.label())
				.contains("GET /hello/:name");
		});
	}

	@Test
	void theFeatureFlagsTimeoutReachesTheRuntime() {
		this.runner.run((context) -> assertThat(context.getBean(ProgramHolder.class).program().executor().settings()
			.featureFlagsTimeout()).isEqualTo(Duration.ofMillis(250)));
		this.runner.withPropertyValues("webpipe.feature-flags.timeout=75ms")
			.run((context) -> assertThat(context.getBean(ProgramHolder.class).program().executor().settings()
				.featureFlagsTimeout()).isEqualTo(Duration.ofMillis(75)));
	}

	@Test
	void readsTheEnvironmentProfilesAndPropertiesOfTheApplication() {
		this.runner
			.withPropertyValues("webpipe.routes-location=classpath:/env-routes/", "webpipe.env=production",
					"spring.profiles.active=cloud", "MY_LOG_LEVEL=warn", "webpipe.config.log.includeBody=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				CompiledProgram program = context.getBean(ProgramHolder.class).program();
				assertThat(program.configBlocks().get("log").get("level").asText()).isEqualTo("warn");
				assertThat(program.configBlocks().get("log").get("includeBody").asText()).isEqualTo("true");
				@SuppressWarnings("unchecked")
				RouterFunction<ServerResponse> routes = context.getBean("webPipeRouterFunction", RouterFunction.class);
				WebTestClient.bindToRouterFunction(routes).build().get().uri("/env").exchange()
					.expectBody().json("{\"steps\":[\"production\",\"cloud\"],\"env\":\"production\"}", true);
			});
	}

	@Test
	void reloadsOnlyWhenAskedAndWatchesOnlyFileLocations(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
			throws Exception {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(WebPipeReloader.class));
		this.runner.withPropertyValues("webpipe.reload.enabled=true").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(WebPipeReloader.class);
			assertThat(context.getBean(WebPipeReloader.class).folders()).as("class path locations").isEmpty();
		});
		java.nio.file.Files.writeString(dir.resolve("a.wp"), "GET /a\n  |> jq: `{}`\n");
		this.runner.withPropertyValues("webpipe.reload.enabled=true", "webpipe.routes-location=" + dir.toUri())
			.run((context) -> assertThat(context.getBean(WebPipeReloader.class).folders())
				.containsExactly(dir.toAbsolutePath().normalize()));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("webpipe.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ProgramHolder.class)
				.doesNotHaveBean("webPipeRouterFunction"));
	}

	@Test
	void startsWithoutRoutesWhenTheDefaultLocationIsEmpty() {
		this.runner.withClassLoader(new FilteredClassLoader(new ClassPathResource("routes/")))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ProgramHolder.class).program().routes()).isEmpty();
			});
	}

	@Test
	void failsWhenAnExplicitLocationHasNoFile() {
		this.runner.withPropertyValues("webpipe.routes-location=file:does/not/exist/").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().isInstanceOf(RoutesNotFoundException.class)
				.hasMessageContaining("file:does/not/exist/");
		});
	}

	@Test
	void failsWithEveryDiagnosticOfBrokenFiles() {
		this.runner.withPropertyValues("webpipe.routes-location=classpath:/broken/").run((context) -> {
			assertThat(context).hasFailed();
			LoadException ex = (LoadException) findCause(context.getStartupFailure(), LoadException.class);
			assertThat(ex.errors()).extracting((d) -> d.file()).contains("bad.wp", "worse.wp");
			FailureAnalysis analysis = new WebPipeFailureAnalyzers.LoadFailureAnalyzer().analyze(ex);
			assertThat(analysis.getDescription()).contains("bad.wp:6:10: unterminated backtick string")
				.contains("worse.wp:1:").contains("  |> jq: `{ unclosed: ").contains("^");
			assertThat(analysis.getAction()).contains("Fix the .wp files");
		});
	}

	@Test
	void aServletApplicationWithWpFilesFailsToStart() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(WebPipeAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				WebFluxRequiredException ex = (WebFluxRequiredException) findCause(context.getStartupFailure(),
						WebFluxRequiredException.class);
				FailureAnalysis analysis = new WebPipeFailureAnalyzers.WebFluxRequiredFailureAnalyzer().analyze(ex);
				assertThat(analysis.getAction()).contains("spring-boot-starter-webflux");
			});
	}

	@Test
	void aServletApplicationWithoutWpFilesStarts() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(WebPipeAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(new ClassPathResource("routes/")))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void backsOffOnItsOwnBeanTypesOnly() {
		this.runner.withBean("myRouter", RouterFunction.class,
				() -> RouterFunctions.route().GET("/mine", (r) -> ServerResponse.ok().build()).build())
			.run((context) -> assertThat(context).hasNotFailed().hasBean("webPipeRouterFunction").hasBean("myRouter"));
		this.runner.withBean("myRegistry", MiddlewareRegistry.class,
				() -> MiddlewareRegistry.of(List.of(new Named("jq")), java.util.Map.of()))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(MiddlewareRegistry.class)
				.hasBean("myRegistry"));
	}

	@Test
	void anApplicationMiddlewareReplacesTheBuiltInOfItsName() {
		this.runner.withBean("myJq", Middleware.class, () -> new Named("jq")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(MiddlewareRegistry.class).find("jq")).get().isInstanceOf(Named.class);
			assertThat(context).hasSingleBean(WebPipeHandler.class);
		});
	}

	@Test
	void twoApplicationMiddlewareWithOneNameFailToStart() {
		this.runner.withBean("first", Middleware.class, () -> new Named("audit"))
			.withBean("second", Middleware.class, () -> new Named("audit"))
			.run((context) -> {
				assertThat(context).hasFailed();
				DuplicateMiddlewareException ex = (DuplicateMiddlewareException) findCause(
						context.getStartupFailure(), DuplicateMiddlewareException.class);
				FailureAnalysis analysis = new WebPipeFailureAnalyzers.DuplicateMiddlewareFailureAnalyzer()
					.analyze(ex);
				assertThat(analysis.getDescription()).contains("'first'").contains("'second'").contains("audit");
			});
	}

	@Test
	void anApplicationMiddlewareNamedLikeAKeywordFailsToStart() {
		this.runner.withBean("resultMiddleware", Middleware.class, () -> new Named("result")).run((context) -> {
			assertThat(context).hasFailed();
			ReservedMiddlewareNameException ex = (ReservedMiddlewareNameException) findCause(
					context.getStartupFailure(), ReservedMiddlewareNameException.class);
			FailureAnalysis analysis = new WebPipeFailureAnalyzers.ReservedMiddlewareNameFailureAnalyzer().analyze(ex);
			assertThat(analysis.getDescription()).contains("'resultMiddleware'").contains("'result'");
			assertThat(analysis.getAction()).contains("dispatch").contains("foreach");
		});
	}

	@Test
	void twoLuaScriptsWithOneNameFailToStart() {
		this.runner.withPropertyValues("webpipe.lua.scripts-location=classpath*:/lua/twins/**/*.lua").run((context) -> {
			assertThat(context).hasFailed();
			LuaScriptException ex = (LuaScriptException) findCause(context.getStartupFailure(),
					LuaScriptException.class);
			FailureAnalysis analysis = new WebPipeFailureAnalyzers.LuaScriptFailureAnalyzer().analyze(ex);
			assertThat(analysis.getDescription()).contains("two Lua scripts are named 'helpers'");
			assertThat(analysis.getAction()).contains("webpipe.lua.scripts-location");
		});
	}

	@Test
	void routesNotFoundFailureAnalysisSaysWhatToDo() {
		FailureAnalysis analysis = new WebPipeFailureAnalyzers.RoutesNotFoundFailureAnalyzer()
			.analyze(new RoutesNotFoundException("file:nowhere/"));
		assertThat(analysis.getDescription()).contains("file:nowhere/");
		assertThat(analysis.getAction()).contains("webpipe.routes-location");
	}

	private static Throwable findCause(Throwable failure, Class<? extends Throwable> type) {
		Throwable current = failure;
		while (current != null && !type.isInstance(current)) {
			current = current.getCause();
		}
		assertThat(current).as("cause of type " + type.getSimpleName()).isNotNull();
		return current;
	}

	/** A middleware that does nothing, named as given. */
	static final class Named implements Middleware {

		private final String name;

		Named(String name) {
			this.name = name;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) {
			return (input) -> reactor.core.publisher.Mono.just(dev.webpipe.middleware.StepResult.of(input.state()));
		}

	}

	@Test
	void theBodyLimitIsTheOneTheApplicationsCodecsUse() {
		ServerCodecConfigurer customized = ServerCodecConfigurer.create();
		customized.defaultCodecs().maxInMemorySize(12_345);
		MockEnvironment environment = new MockEnvironment().withProperty("spring.http.codecs.max-in-memory-size", "1KB");
		assertThat(WebPipeAutoConfiguration.maxInMemorySize(customized, environment)).isEqualTo(12_345);
		assertThat(WebPipeAutoConfiguration.maxInMemorySize(null, environment)).isEqualTo(1024);
		assertThat(WebPipeAutoConfiguration.maxInMemorySize(null, new MockEnvironment()
			.withProperty("spring.codec.max-in-memory-size", "1KB"))).as("Boot 3's name is not read").isEqualTo(256 * 1024);
	}

}
