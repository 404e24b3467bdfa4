package dev.webpipe.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** What a user sees when start-up fails: Spring Boot's failure report with our analysis. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

	@Test
	void brokenWpFilesStopStartUpWithEveryDiagnostic(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("webpipe.routes-location=classpath:/broken/"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("bad.wp:6:10: unterminated backtick string")
			.contains("worse.wp:1:1:")
			.contains("Fix the .wp files");
	}

	@Test
	void aMissingExplicitLocationStopsStartUp(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("webpipe.routes-location=file:no/such/folder/"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("No .wp file found at webpipe.routes-location 'file:no/such/folder/'");
	}

	private static void start(String property) {
		new SpringApplicationBuilder(MinimalApplication.class).web(WebApplicationType.REACTIVE)
			.properties(property, "server.port=0")
			.run()
			.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class MinimalApplication {

	}

}
