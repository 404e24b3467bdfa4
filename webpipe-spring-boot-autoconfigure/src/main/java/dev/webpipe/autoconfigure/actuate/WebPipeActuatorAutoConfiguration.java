package dev.webpipe.autoconfigure.actuate;

import java.time.Instant;
import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.webpipe.autoconfigure.WebPipeAutoConfiguration;
import dev.webpipe.autoconfigure.WebPipeProperties;
import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.MiddlewareRegistry;

/**
 * The {@code webpipe} Actuator endpoint and health contributor, when Spring Boot Actuator is on the
 * class path (docs/operations.md).
 */
@AutoConfiguration(after = WebPipeAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(CompiledProgram.class)
public final class WebPipeActuatorAutoConfiguration {

	/** The result of the last reload: none until programs are reloaded while serving. */
	private static final java.util.function.Supplier<Object> NO_RELOAD = () -> null;

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(WebPipeEndpoint.class)
	@EnableConfigurationProperties(WebPipeEndpointProperties.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebPipeEndpoint webPipeEndpoint(CompiledProgram program, MiddlewareRegistry registry,
				ListableBeanFactory beanFactory, WebPipeProperties properties, WebPipeEndpointProperties endpoint,
				ObjectProvider<SanitizingFunction> sanitizingFunctions, ApplicationContext context) {
			Map<String, Middleware> application = beanFactory.getBeansOfType(Middleware.class);
			Instant loadedAt = Instant.ofEpochMilli(context.getStartupDate());
			WebPipePropertiesReport report = new WebPipePropertiesReport(properties,
					new Sanitizer(sanitizingFunctions.orderedStream().toList()), endpoint.getShowValues(),
					endpoint.getRoles());
			return new WebPipeEndpoint(() -> program, () -> loadedAt, registry, application, report, NO_RELOAD);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("webpipe")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "webpipeHealthIndicator")
		WebPipeHealthIndicator webpipeHealthIndicator(CompiledProgram program) {
			return new WebPipeHealthIndicator(() -> program, NO_RELOAD);
		}

	}

}
