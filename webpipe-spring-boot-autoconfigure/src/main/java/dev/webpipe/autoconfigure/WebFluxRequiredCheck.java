package dev.webpipe.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternUtils;

/**
 * Stops the start-up of a servlet application that has {@code .wp} files, so that routes are
 * never silently ignored.
 */
final class WebFluxRequiredCheck implements InitializingBean {

	private final WebPipeProperties properties;

	private final ResourceLoader resourceLoader;

	WebFluxRequiredCheck(WebPipeProperties properties, ResourceLoader resourceLoader) {
		this.properties = properties;
		this.resourceLoader = resourceLoader;
	}

	@Override
	public void afterPropertiesSet() {
		ResourcePatternResolver resolver = ResourcePatternUtils.getResourcePatternResolver(this.resourceLoader);
		List<String> found = new ArrayList<>();
		for (String location : this.properties.getRoutesLocation()) {
			if (RouteSources.exists(resolver, location)) {
				found.add(location);
			}
		}
		if (!found.isEmpty()) {
			throw new WebFluxRequiredException(found);
		}
	}

}
