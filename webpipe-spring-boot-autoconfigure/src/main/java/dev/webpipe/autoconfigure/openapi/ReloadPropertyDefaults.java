package dev.webpipe.autoconfigure.openapi;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With {@code webpipe.reload.enabled=true}, springdoc's document cache is off by default
 * ({@code springdoc.cache.disabled=true}), so {@code /v3/api-docs} follows a reloaded program
 * (docs/openapi.md#how-it-works). Devtools defaults its cache properties the same way. An application that sets
 * {@code springdoc.cache.disabled} itself keeps its value. Without springdoc the property is simply unused.
 */
public final class ReloadPropertyDefaults implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "webpipeReloadDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getProperty("webpipe.reload.enabled", Boolean.class, false)
				&& !environment.containsProperty("springdoc.cache.disabled")) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(SOURCE_NAME, Map.of("springdoc.cache.disabled", "true")));
		}
	}

}
