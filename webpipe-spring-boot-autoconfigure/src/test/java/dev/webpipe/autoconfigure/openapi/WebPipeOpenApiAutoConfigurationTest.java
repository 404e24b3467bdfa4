package dev.webpipe.autoconfigure.openapi;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.codec.ServerCodecConfigurer;

import dev.webpipe.autoconfigure.WebPipeAutoConfiguration;
import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.language.LoadException;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@link WebPipeOpenApiAutoConfiguration}: a customizer with springdoc, nothing at all without it. */
class WebPipeOpenApiAutoConfigurationTest {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebPipeAutoConfiguration.class, WebPipeOpenApiAutoConfiguration.class))
		.withBean(ServerCodecConfigurer.class, ServerCodecConfigurer::create);

	@Test
	void describesTheRoutesWhenSpringdocIsOnTheClassPath() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(WebPipeOpenApi.class));
	}

	@Test
	void withoutSpringdocNothingIsContributedAndNoSpringdocClassIsLoaded() {
		RecordingClassLoader loader = new RecordingClassLoader("org.springdoc", "io.swagger");
		this.runner.withClassLoader(loader).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(WebPipeOpenApi.class);
			assertThat(context).hasBean("webPipeRouterFunction");
		});
		assertThat(loader.asked).contains("org.springdoc.core.customizers.OpenApiCustomizer");
		assertThat(loader.asked).filteredOn((name) -> name.startsWith("org.springdoc") || name.startsWith("io.swagger"))
			.as("springdoc classes asked for beyond the condition's probe")
			.containsOnly("org.springdoc.core.customizers.OpenApiCustomizer");
		assertThat(loader.asked).doesNotContain(WebPipeOpenApi.class.getName());
	}

	@Test
	void aWrittenSchemaThatOpenApiCannotTakeStopsStartUp() {
		this.runner.withPropertyValues("webpipe.routes-location=classpath:/openapi-bad-schema/")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(LoadException.class)
				.hasMessageContaining("items.wp:1:17: the schema after @response 200 is not a JSON Schema"));
	}

	@Test
	void aReloadedProgramWithSuchASchemaDoesNotServe() {
		this.runner.run((context) -> {
			ProgramHolder holder = context.getBean(ProgramHolder.class);
			CompiledProgram serving = holder.program();
			CompiledProgram bad = Programs.compile("routes/items.wp",
					"# @response 200 {\"items\": 3}\nGET /items\n  |> jq: `[]`\n");
			assertThatExceptionOfType(LoadException.class)
				.isThrownBy(() -> holder.replace(bad, ProgramHolder.ReloadOutcome.loaded(Instant.now(), 1, bad)))
				.withMessageContaining("routes/items.wp:1:17: the schema after @response 200 is not a JSON Schema");
			assertThat(holder.program()).isSameAs(serving);
		});
	}

	@Test
	void anApplicationBeanReplacesTheCustomizer() {
		this.runner.withBean("mine", WebPipeOpenApi.class, () -> new WebPipeOpenApi(() -> null, null))
			.run((context) -> assertThat(context).hasSingleBean(WebPipeOpenApi.class).hasBean("mine"));
	}

	/** A filtered class loader that records every class name it is asked for. */
	static final class RecordingClassLoader extends FilteredClassLoader {

		final List<String> asked = new CopyOnWriteArrayList<>();

		RecordingClassLoader(String... hiddenPackages) {
			super(hiddenPackages);
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			this.asked.add(name);
			return super.loadClass(name, resolve);
		}

	}

}
