package dev.webpipe.autoconfigure;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.webpipe.runtime.DetachedTasks;

/**
 * Meters of the runtime, bound to the application's meter registries when Micrometer is present
 * (Spring Boot binds every {@link MeterBinder} bean): {@code webpipe.async.detached} (detached
 * tasks running) and {@code webpipe.async.detached.refused} (tasks cancelled because
 * {@code webpipe.async.max-detached} were running; docs/concurrency.md#tasks-that-are-never-joined).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MeterBinder.class)
class MetricsConfiguration {

	@Bean
	MeterBinder webPipeDetachedTaskMeters(DetachedTaskLifecycle detachedTasks) {
		DetachedTasks tasks = detachedTasks.tasks();
		return (registry) -> {
			Gauge.builder("webpipe.async.detached", tasks, DetachedTasks::running)
				.description("Detached @async tasks running")
				.register(registry);
			FunctionCounter.builder("webpipe.async.detached.refused", tasks, DetachedTasks::refused)
				.description("Detached @async tasks cancelled because webpipe.async.max-detached were running")
				.register(registry);
		};
	}

}
