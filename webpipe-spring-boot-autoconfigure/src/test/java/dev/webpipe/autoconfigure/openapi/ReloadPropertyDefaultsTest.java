package dev.webpipe.autoconfigure.openapi;

import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ReloadPropertyDefaultsTest {

	private final ReloadPropertyDefaults defaults = new ReloadPropertyDefaults();

	@Test
	void withReloadSpringdocsCacheIsOffSoTheDocumentFollowsAReload() {
		MockEnvironment environment = new MockEnvironment().withProperty("webpipe.reload.enabled", "true");
		this.defaults.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("springdoc.cache.disabled")).isEqualTo("true");
	}

	@Test
	void anApplicationsOwnSettingWins() {
		MockEnvironment environment = new MockEnvironment().withProperty("webpipe.reload.enabled", "true")
			.withProperty("springdoc.cache.disabled", "false");
		this.defaults.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("springdoc.cache.disabled")).isEqualTo("false");
	}

	@Test
	void withoutReloadNothingIsSet() {
		MockEnvironment environment = new MockEnvironment();
		this.defaults.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.containsProperty("springdoc.cache.disabled")).isFalse();
	}

	@Test
	void registeredForEveryApplication() throws Exception {
		Properties factories = PropertiesLoaderUtils.loadProperties(new ClassPathResource("META-INF/spring.factories"));
		assertThat(factories.getProperty(EnvironmentPostProcessor.class.getName()))
			.contains(ReloadPropertyDefaults.class.getName());
	}

}
