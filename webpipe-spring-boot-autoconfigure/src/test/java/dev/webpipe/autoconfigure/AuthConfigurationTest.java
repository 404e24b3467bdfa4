package dev.webpipe.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;

import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.middleware.auth.PasswordHasher;
import dev.webpipe.testing.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration registers {@code auth} on the database of {@code pg} steps, with a
 * {@link PasswordHasher} sized by {@code webpipe.auth.*} and closed with the context, and warns at
 * start-up while session cookies are not {@code Secure} by default (not when {@code cookieSecure} is set).
 */
@ExtendWith(OutputCaptureExtension.class)
class AuthConfigurationTest {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebPipeAutoConfiguration.class))
		.withBean(ServerCodecConfigurer.class, ServerCodecConfigurer::create)
		.withPropertyValues("webpipe.routes-location=classpath:/auth/app/", "webpipe.auth.max-concurrent-hashes=3",
				"webpipe.auth.max-queued-hashes=5", "webpipe.config.pg.host=" + TestDatabase.get().host(),
				"webpipe.config.pg.port=" + TestDatabase.get().port(),
				"webpipe.config.pg.database=" + TestDatabase.get().database(),
				"webpipe.config.pg.user=" + TestDatabase.get().username(),
				"webpipe.config.pg.password=" + TestDatabase.get().password());

	@Test
	void authStepsRunAndWarnAboutCookiesWithoutSecure(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(MiddlewareRegistry.class).find("auth")).isPresent();
			assertThat(context).hasSingleBean(PasswordHasher.class);
			client(context).get().uri("/who").exchange().expectStatus().isOk().expectBody()
				.json("{\"who\":\"nobody\"}", true);
		});
		assertThat(output).contains("auth: session cookies are sent without the Secure attribute");
	}

	@Test
	void noWarningWhenCookiesAreSecure(CapturedOutput output) {
		this.runner.withPropertyValues("webpipe.config.auth.cookie-secure=true").run((context) -> {
			assertThat(context).hasNotFailed();
			client(context).get().uri("/who").exchange().expectStatus().isOk();
		});
		assertThat(output).doesNotContain("without the Secure attribute");
	}

	@Test
	void noWarningWhenCookiesAreDeliberatelyNotSecure(CapturedOutput output) {
		this.runner.withPropertyValues("webpipe.config.auth.cookie-secure=false").run((context) -> {
			assertThat(context).hasNotFailed();
			client(context).get().uri("/who").exchange().expectStatus().isOk()
				.expectHeader().doesNotExist("Set-Cookie");
		});
		assertThat(output).doesNotContain("without the Secure attribute");
	}

	@Test
	void anInvalidHashBudgetStopsStartUp() {
		this.runner.withPropertyValues("webpipe.auth.max-concurrent-hashes=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("webpipe.auth.max-concurrent-hashes must be at least 1, got 0"));
	}

	@SuppressWarnings("unchecked")
	private static WebTestClient client(org.springframework.context.ApplicationContext context) {
		return WebTestClient.bindToRouterFunction(context.getBean("webPipeRouterFunction", RouterFunction.class))
			.build();
	}

}
