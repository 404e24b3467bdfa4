package dev.webpipe.autoconfigure.openapi;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.webpipe.autoconfigure.WebPipeAutoConfiguration;
import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.middleware.MiddlewareRegistry;

/**
 * The {@code .wp} routes in springdoc-openapi's document, when springdoc is on the class path
 * (docs/openapi.md). Without it nothing here is loaded: the condition names springdoc's class as a
 * string.
 */
@AutoConfiguration(after = WebPipeAutoConfiguration.class)
@ConditionalOnClass(name = "org.springdoc.core.customizers.OpenApiCustomizer")
@ConditionalOnBean(ProgramHolder.class)
public final class WebPipeOpenApiAutoConfiguration {

	/**
	 * The customizer, describing the program being served. Its routes are described once at start-up
	 * and before a reloaded program serves, so that a schema OpenAPI cannot take stops start-up, or
	 * that reload, at its position (docs/openapi.md#how-it-works).
	 */
	@Bean
	@ConditionalOnMissingBean
	WebPipeOpenApi webPipeOpenApi(ProgramHolder holder, MiddlewareRegistry registry) {
		WebPipeOpenApi openApi = new WebPipeOpenApi(holder::program, registry);
		openApi.check();
		holder.addListener(new ProgramHolder.Listener() {

			@Override
			public void preparing(ProgramHolder.Loaded next) {
				openApi.check(next.program());
			}

			@Override
			public void replaced(ProgramHolder.Loaded previous, ProgramHolder.Loaded current) {
			}

		});
		return openApi;
	}

}
