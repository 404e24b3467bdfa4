package dev.webpipe.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;

import dev.webpipe.web.PrincipalReader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security is optional (docs/security.md#spring-security): without it on the class path the application
 * starts, routes serve, and {@code $context} has no {@code principal}; with it, the reader is there.
 */
class PrincipalWithoutSpringSecurityTest {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebPipeAutoConfiguration.class))
		.withBean(ServerCodecConfigurer.class, ServerCodecConfigurer::create)
		.withPropertyValues("webpipe.routes-location=classpath:/security-routes/");

	@Test
	void withoutSpringSecurityRoutesServeWithoutAPrincipal() {
		this.runner
			.withClassLoader(new FilteredClassLoader("org.springframework.security.core",
					"org.springframework.security.web", "org.springframework.security.config",
					"org.springframework.security.authentication"))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(PrincipalReader.class);
				client(context.getBean("webPipeRouterFunction", RouterFunction.class)).get().uri("/public/who")
					.exchange().expectStatus().isOk()
					.expectBody().json("{\"principal\":null,\"has\":false}", true);
			});
	}

	@Test
	void withSpringSecurityTheReaderIsThere() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(PrincipalReader.class);
			client(context.getBean("webPipeRouterFunction", RouterFunction.class)).get().uri("/public/who")
				.exchange().expectStatus().isOk()
				.expectBody().json("{\"principal\":null,\"has\":true}", true);
		});
	}

	private static WebTestClient client(RouterFunction<?> routes) {
		return WebTestClient.bindToRouterFunction(routes).build();
	}

}
