package dev.webpipe.demo;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The demo carries the Redis starter for {@code --webpipe.store.type=redis} (docs/scaling.md), but runs without
 * Redis by default: then Spring Boot's Redis health contributor would report a Redis nobody uses as down. This
 * turns it off ({@code management.health.redis.enabled=false}, as a default that any property source overrides)
 * unless {@code webpipe.store.type} is {@code redis}.
 */
public class RedisHealthOnlyWithRedisStore implements EnvironmentPostProcessor {

	static final String HEALTH_PROPERTY = "management.health.redis.enabled";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String store = environment.getProperty("webpipe.store.type", "local");
		if ("redis".equalsIgnoreCase(store.trim())) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("demoRedisHealth", Map.of(HEALTH_PROPERTY, "false")));
	}

}
