package dev.webpipe.test;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The command-line test mode: when {@code webpipe.test} is set ({@code --webpipe.test} or
 * {@code --webpipe.test=true}; {@code false} turns it off), the application listens only on a
 * random loopback port ({@code server.port=0}, {@code server.address=127.0.0.1}) while
 * {@link WebPipeTestCommand} runs the {@code .wp} tests, so relative {@code fetch} URLs still
 * reach it and nothing else does. The process exits as soon as the tests are done: Reactor Netty's resources are
 * released without their quiet period ({@code spring.reactor.netty.shutdown-quiet-period=0s}), since no request is
 * left to finish (docs/testing.md#run-them-from-the-command-line).
 */
public final class WebPipeTestMode implements EnvironmentPostProcessor {

	/** The property that selects the test mode. */
	public static final String PROPERTY = "webpipe.test";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (isEnabled(environment.getProperty(PROPERTY))) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource("webpipeTestMode",
						Map.of("server.port", "0", "server.address", "127.0.0.1",
								"spring.reactor.netty.shutdown-quiet-period", "0s")));
		}
	}

	/** Whether a value of {@code webpipe.test} selects the mode: present and not {@code false}. */
	static boolean isEnabled(@Nullable String value) {
		return value != null && !value.trim().equalsIgnoreCase("false");
	}

}
