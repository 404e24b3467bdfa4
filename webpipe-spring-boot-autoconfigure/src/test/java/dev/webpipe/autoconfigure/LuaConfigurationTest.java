package dev.webpipe.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;

import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.middleware.lua.LuaScriptException;
import dev.webpipe.middleware.lua.LuaSql;
import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;

/** The lua part of the auto-configuration: scripts location, instruction budget, executeSql's database. */
class LuaConfigurationTest {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebPipeAutoConfiguration.class))
		.withBean(ServerCodecConfigurer.class, ServerCodecConfigurer::create)
		.withPropertyValues("webpipe.routes-location=classpath:/lua/routes/",
				"webpipe.lua.scripts-location=classpath*:/lua/scripts/*.lua");

	@Test
	void preloadsTheScriptsOfTheConfiguredLocation() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			client(context).get().uri("/greet/kim").exchange().expectStatus().isOk().expectBody()
				.json("{\"message\":\"Hello, kim!\"}", true);
		});
	}

	@Test
	void appliesTheInstructionBudgetProperty() {
		this.runner.withPropertyValues("webpipe.lua.max-instructions=5000", "webpipe.errors.include-details=always")
			.run((context) -> client(context).get()
			.uri("/spin").exchange().expectStatus().isEqualTo(500).expectBody()
			.jsonPath("$.errors[0].type").isEqualTo("luaError")
			.jsonPath("$.errors[0].message").isEqualTo("Lua execution error: instruction budget of 5000 exceeded")
			.jsonPath("$.errors[0].location").isEqualTo("lua.wp:5"));
	}

	@Test
	void executeSqlUsesTheLuaSqlBean() {
		this.runner.withBean(LuaSql.class, () -> (sql, params) -> Json.parse("{\"rows\":[{\"one\":1}],\"rowCount\":1}"))
			.run((context) -> client(context).get().uri("/sql").exchange().expectBody()
				.json("{\"result\":{\"rows\":[{\"one\":1}],\"rowCount\":1}}", true));
	}

	@Test
	void executeSqlWithoutADatabase() {
		this.runner.run((context) -> client(context).get().uri("/sql").exchange().expectBody()
			.json("{\"err\":\"database not configured\"}", true));
	}

	@Test
	void aBrokenScriptStopsStartUp() {
		this.runner.withPropertyValues("webpipe.lua.scripts-location=classpath:/lua/broken/*.lua").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().isInstanceOf(LuaScriptException.class)
				.hasMessage("lua syntax error in script 'broken': broken.lua:2: unexpected symbol near '<eof>'");
		});
	}

	@Test
	void theDefaultLocationMayHoldNoScript() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations.of(WebPipeAutoConfiguration.class))
			.withBean(ServerCodecConfigurer.class, ServerCodecConfigurer::create)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MiddlewareRegistry.class).contains("lua")).isTrue();
			});
	}

	@Test
	void withoutLuaJThereIsNoLuaMiddleware() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations.of(WebPipeAutoConfiguration.class))
			.withBean(ServerCodecConfigurer.class, ServerCodecConfigurer::create)
			.withClassLoader(new FilteredClassLoader("org.luaj"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MiddlewareRegistry.class).contains("lua")).isFalse();
			});
	}

	@SuppressWarnings("unchecked")
	private static WebTestClient client(AssertableReactiveWebApplicationContext context) {
		RouterFunction<?> routes = context.getBean("webPipeRouterFunction", RouterFunction.class);
		return WebTestClient.bindToRouterFunction(routes).build();
	}

}
