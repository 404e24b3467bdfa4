package dev.webpipe.demo;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The demo carries the Redis starter for {@code --webpipe.store.type=redis} (docs/scaling.md), but runs without
 * Redis by default: then nothing uses Redis, and Spring Boot's Redis health contributor would report a Redis nobody
 * uses as down. Unless {@code webpipe.store.type} is {@code redis}, this leaves Spring Boot's Redis
 * auto-configuration out ({@code spring.autoconfigure.exclude}, which also spares the start-up its Lettuce client)
 * and turns the Redis health contributor off ({@code management.health.redis.enabled=false}), both as defaults that
 * any property source overrides (docs/scaling.md#health).
 */
public class RedisOnlyWithRedisStore implements EnvironmentPostProcessor {

	static final String HEALTH_PROPERTY = "management.health.redis.enabled";

	static final String EXCLUDE_PROPERTY = "spring.autoconfigure.exclude";

	/** Spring Boot's Redis auto-configurations, none of which the local store needs. */
	static final String REDIS_AUTO_CONFIGURATIONS = String.join(",",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String store = environment.getProperty("webpipe.store.type", "local");
		if ("redis".equalsIgnoreCase(store.trim())) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("demoRedis",
					Map.of(HEALTH_PROPERTY, "false", EXCLUDE_PROPERTY, REDIS_AUTO_CONFIGURATIONS)));
	}

}
