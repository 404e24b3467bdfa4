package dev.webpipe.autoconfigure;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.graphql.ExecutionGraphQlService;
import org.springframework.graphql.client.GraphQlClient;
import org.springframework.http.codec.ServerCodecConfigurer;
import reactor.core.publisher.Mono;

import dev.webpipe.language.LoadException;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.middleware.http.OutboundHttp;

import static org.assertj.core.api.Assertions.assertThat;

/** How the auto-configuration contributes {@code fetch} and {@code graphql}. */
class HttpMiddlewareAutoConfigurationTest {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebPipeAutoConfiguration.class, WebClientAutoConfiguration.class))
		.withBean(ServerCodecConfigurer.class, ServerCodecConfigurer::create);

	@Test
	void fetchAndGraphqlAreBuiltIns() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(OutboundHttp.class);
			assertThat(context.getBean(MiddlewareRegistry.class).names()).contains("fetch", "graphql");
		});
	}

	@Test
	void theClientIsBuiltFromTheApplicationsWebClientBuilder() {
		AtomicBoolean customized = new AtomicBoolean();
		this.runner.withBean(WebClientCustomizer.class, () -> (builder) -> customized.set(true))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(customized).isTrue();
			});
	}

	@Test
	void theFetchPropertiesApply() {
		this.runner.withPropertyValues("webpipe.fetch.default-timeout=3s", "webpipe.fetch.max-response-size=2KB")
			.run((context) -> {
				OutboundHttp http = context.getBean(OutboundHttp.class);
				assertThat(http.defaultTimeout()).hasSeconds(3);
				assertThat(http.maxResponseSize()).isEqualTo(2048);
			});
	}

	@Test
	void withoutSpringGraphqlThereIsNoGraphqlMiddleware() {
		this.runner.withClassLoader(new FilteredClassLoader(GraphQlClient.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(MiddlewareRegistry.class).names()).contains("fetch").doesNotContain("graphql");
		});
	}

	@Test
	void aGraphqlStepWithoutTargetFailsStartUp() {
		this.runner.withPropertyValues("webpipe.routes-location=classpath:/http-app/no-target/").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(LoadException.class)
				.hasMessageContaining("graphql.wp:2:15: graphql: no GraphQL target");
		});
	}

	@Test
	void theEndpointPropertyIsATarget() {
		this.runner
			.withPropertyValues("webpipe.routes-location=classpath:/http-app/no-target/",
					"webpipe.graphql.endpoint=https://graphql.example.test/graphql")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void theApplicationsGraphqlServiceIsATarget() {
		this.runner.withPropertyValues("webpipe.routes-location=classpath:/http-app/no-target/")
			.withBean(ExecutionGraphQlService.class, () -> (request) -> Mono.empty())
			.run((context) -> assertThat(context).hasNotFailed());
	}

}
