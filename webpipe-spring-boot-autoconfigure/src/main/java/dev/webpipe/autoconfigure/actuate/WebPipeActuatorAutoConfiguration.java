package dev.webpipe.autoconfigure.actuate;

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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.webpipe.autoconfigure.WebPipeAutoConfiguration;
import dev.webpipe.autoconfigure.WebPipeProperties;
import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.MiddlewareRegistry;

/**
 * The {@code webpipe} Actuator endpoint and health contributor, when Spring Boot Actuator is on the
 * class path (docs/operations.md).
 */
@AutoConfiguration(after = WebPipeAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(ProgramHolder.class)
public final class WebPipeActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(WebPipeEndpoint.class)
	@EnableConfigurationProperties(WebPipeEndpointProperties.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebPipeEndpoint webPipeEndpoint(ProgramHolder holder, MiddlewareRegistry registry,
				ListableBeanFactory beanFactory, WebPipeProperties properties, WebPipeEndpointProperties endpoint,
				ObjectProvider<SanitizingFunction> sanitizingFunctions) {
			Map<String, Middleware> application = beanFactory.getBeansOfType(Middleware.class);
			WebPipePropertiesReport report = new WebPipePropertiesReport(properties,
					new Sanitizer(sanitizingFunctions.orderedStream().toList()), endpoint.getShowValues(),
					endpoint.getRoles());
			return new WebPipeEndpoint(holder, registry, application, report);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("webpipe")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "webpipeHealthIndicator")
		WebPipeHealthIndicator webpipeHealthIndicator(ProgramHolder holder) {
			return new WebPipeHealthIndicator(holder::program, holder::lastReload);
		}

	}

}
