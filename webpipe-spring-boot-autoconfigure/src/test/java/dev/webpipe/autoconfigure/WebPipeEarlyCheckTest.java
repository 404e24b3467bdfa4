package dev.webpipe.autoconfigure;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import dev.webpipe.language.LoadException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The early check (docs/configuration.md#early-check): errors that need no bean stop start-up before the
 * application context exists, with the usual failure report; the rest is left to the context.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebPipeEarlyCheckTest {

	private final AtomicBoolean contextCreated = new AtomicBoolean();

	@Test
	void aJqErrorStopsStartUpBeforeTheContextExists(CapturedOutput output) {
		assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> start("webpipe.routes-location=classpath:/early/jq/"))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("prices.wp:6:"));
		assertThat(this.contextCreated).as("the application context was created").isFalse();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("prices.wp:6:")
			.contains("jq compile error")
			.contains("^")
			.contains("Fix the .wp files");
	}

	@Test
	void aLuaSyntaxErrorStopsStartUpBeforeTheContextExists(CapturedOutput output) {
		assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> start("webpipe.routes-location=classpath:/early/lua/"))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("discount.wp:6:").contains("lua syntax error"));
		assertThat(this.contextCreated).isFalse();
		assertThat(output).contains("APPLICATION FAILED TO START").contains("discount.wp:6:");
	}

	@Test
	void aSyntaxErrorStopsStartUpBeforeTheContextExists(CapturedOutput output) {
		assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> start("webpipe.routes-location=classpath:/broken/"));
		assertThat(this.contextCreated).isFalse();
		assertThat(output).contains("bad.wp:6:10: unterminated backtick string");
	}

	@Test
	void stepsThatNeedBeansAreCheckedByTheContext() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> start("webpipe.routes-location=classpath:/early/beans/"))
			.satisfies((ex) -> assertThat(cause(ex, LoadException.class).getMessage())
				.contains("unknown middleware 'audit'")
				.contains("unknown step 'notifyShipping'"));
		assertThat(this.contextCreated).as("the early check let the context report these").isTrue();
	}

	@Test
	void turnedOffTheContextReportsEverything() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> start("webpipe.routes-location=classpath:/early/jq/", "webpipe.early-check=false"))
			.satisfies((ex) -> assertThat(cause(ex, LoadException.class).getMessage()).contains("prices.wp:6:"));
		assertThat(this.contextCreated).isTrue();
	}

	private void start(String... properties) {
		new SpringApplicationBuilder(MinimalApplication.class).web(WebApplicationType.REACTIVE)
			.initializers((context) -> this.contextCreated.set(true))
			.properties(properties)
			.properties("server.port=0")
			.run()
			.close();
	}

	private static Throwable cause(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return candidate;
			}
		}
		throw new AssertionError("no " + type.getSimpleName() + " in " + ex, ex);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class MinimalApplication {

	}

}
