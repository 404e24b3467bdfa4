package dev.webpipe.autoconfigure.observation;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import dev.webpipe.observation.DefaultStepObservationConvention;
import dev.webpipe.observation.DefaultTaskObservationConvention;
import dev.webpipe.observation.ObservationInstrumentation;
import dev.webpipe.observation.StepObservationConvention;
import dev.webpipe.observation.TaskObservationConvention;

/**
 * The {@code webpipe.step} and {@code webpipe.task} observations (docs/operations.md#metrics-and-traces): an
 * {@link ObservationInstrumentation} when the application has an {@link ObservationRegistry} bean (Spring Boot's
 * Actuator makes one), with conventions that an application bean of the same type replaces. Without a registry
 * there is no instrumentation and a request pays nothing for it; Boot's
 * {@code management.observations.enable.webpipe=false} disables both observations.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "webpipe.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public final class WebPipeObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StepObservationConvention webPipeStepObservationConvention() {
		return new DefaultStepObservationConvention();
	}

	@Bean
	@ConditionalOnMissingBean
	TaskObservationConvention webPipeTaskObservationConvention() {
		return new DefaultTaskObservationConvention();
	}

	/** First of the instrumentations, so that the application's see each step inside its observation. */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	@ConditionalOnMissingBean
	ObservationInstrumentation webPipeObservationInstrumentation(ObservationRegistry registry,
			StepObservationConvention stepConvention, TaskObservationConvention taskConvention) {
		return new ObservationInstrumentation(registry, stepConvention, taskConvention);
	}

}
