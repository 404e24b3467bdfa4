package dev.webpipe.autoconfigure.openapi;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.webpipe.autoconfigure.WebPipeAutoConfiguration;
import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.middleware.MiddlewareRegistry;

/**
 * The {@code .wp} routes in springdoc-openapi's document, when springdoc is on the class path
 * (docs/openapi.md). Without it nothing here is loaded: the condition names springdoc's class as a
 * string.
 */
@AutoConfiguration(after = WebPipeAutoConfiguration.class)
@ConditionalOnClass(name = "org.springdoc.core.customizers.OpenApiCustomizer")
@ConditionalOnBean(CompiledProgram.class)
public final class WebPipeOpenApiAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WebPipeOpenApi webPipeOpenApi(CompiledProgram program, MiddlewareRegistry registry) {
		WebPipeOpenApi openApi = new WebPipeOpenApi(() -> program, registry);
		openApi.check();
		return openApi;
	}

}
