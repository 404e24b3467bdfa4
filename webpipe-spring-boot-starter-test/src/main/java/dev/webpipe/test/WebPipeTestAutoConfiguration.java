package dev.webpipe.test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The command-line test mode ({@code --webpipe.test}): registers {@link WebPipeTestCommand}.
 * Without the property this adds nothing, so applications can carry the test artifact.
 */
@AutoConfiguration(afterName = "dev.webpipe.autoconfigure.WebPipeAutoConfiguration")
@ConditionalOnProperty(name = WebPipeTestMode.PROPERTY)
public final class WebPipeTestAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WebPipeTestCommand webPipeTestCommand(ApplicationContext context) {
		return new WebPipeTestCommand(context);
	}

}
