package dev.webpipe.autoconfigure;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import dev.webpipe.compile.InvalidConfigPropertiesException;
import dev.webpipe.language.LoadException;
import dev.webpipe.middleware.ConfigBlock;
import dev.webpipe.middleware.ErrorContract;
import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application middleware declares a config block with typed settings and its errors, and the
 * whole way works: the block of a .wp file, an environment-variable override in Spring's relaxed
 * form, load-time errors at the key, start-up errors that name a property, the unhandled status.
 */
class ConfigBlockDeclarationTest {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebPipeAutoConfiguration.class))
		.withBean(ServerCodecConfigurer.class, ServerCodecConfigurer::create)
		.withBean("shout", Middleware.class, Shout::new)
		.withPropertyValues("webpipe.routes-location=classpath:/config-block-routes/");

	@Test
	void theBlockOfTheFilesBindsToTheDeclaredType() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			client(context).get().uri("/shout/hello").exchange().expectStatus().isOk()
				.expectBody().json("{\"shout\":\"HEL!\"}", true);
		});
	}

	@Test
	void anEnvironmentVariableOverridesAKeyInTheRelaxedForm() {
		this.runner.withInitializer((context) -> context.getEnvironment().getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("WEBPIPE_CONFIG_SHOUT_MAXLENGTH", "5"))))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				client(context).get().uri("/shout/hello").exchange().expectStatus().isOk()
					.expectBody().json("{\"shout\":\"HELLO!\"}", true);
			});
	}

	@Test
	void dashedPropertyNamesMatchCamelCaseBlocksAndKeys() {
		this.runner.withPropertyValues("webpipe.config.Shout.max-length=2", "webpipe.config.shout.SUFFIX=?")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				client(context).get().uri("/shout/hello").exchange().expectStatus().isOk()
					.expectBody().json("{\"shout\":\"HE?\"}", true);
			});
	}

	@Test
	void aPropertyNamingNoDeclaredKeyStopsStartUpAndIsNamed() {
		this.runner.withPropertyValues("webpipe.config.shout.max-size=2").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigPropertiesException.class);
			InvalidConfigPropertiesException failure = (InvalidConfigPropertiesException) rootCause(context.getStartupFailure());
			assertThat(failure.problems()).containsExactly(
					"webpipe.config.shout.max-size names no key of config shout (known keys: maxLength, suffix)");
			FailureAnalysis analysis = new WebPipeFailureAnalyzers.InvalidConfigPropertiesFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("webpipe.config.shout.max-size");
		});
	}

	@Test
	void aPropertyNamingNoDeclaredBlockStopsStartUp() {
		this.runner.withPropertyValues("webpipe.config.whisper.level=2").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rootCause(context.getStartupFailure())).isInstanceOf(InvalidConfigPropertiesException.class)
				.hasMessageContaining("webpipe.config.whisper names no config block of a registered middleware");
		});
	}

	@Test
	void aPropertyValueThatDoesNotBindIsNamed() {
		this.runner.withPropertyValues("webpipe.config.shout.maxLength=lots").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rootCause(context.getStartupFailure())).isInstanceOf(InvalidConfigPropertiesException.class)
				.hasMessage("webpipe.config.shout.maxLength: config shout maxLength must be a whole number, got 'lots'");
		});
	}

	@Test
	void aFileValueThatDoesNotBindIsALoadErrorAtItsKey() {
		this.runner.withPropertyValues("webpipe.routes-location=classpath:/config-block-bad/").run((context) -> {
			assertThat(context).hasFailed();
			Throwable cause = rootCause(context.getStartupFailure());
			assertThat(cause).isInstanceOf(LoadException.class);
			assertThat(((LoadException) cause).diagnostics()).extracting((d) -> d.headline())
				.containsExactly("shout.wp:3:3: config shout maxLength must be a whole number, got 'many'");
		});
	}

	@Test
	void anUnhandledDeclaredErrorAnswersItsStatus() {
		this.runner.run((context) -> client(context).get().uri("/shout/" + "a".repeat(30)).exchange()
			.expectStatus().isEqualTo(422)
			.expectBody().jsonPath("$.errors[0].type").isEqualTo("wordTooLong"));
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@SuppressWarnings("unchecked")
	private static WebTestClient client(org.springframework.context.ApplicationContext context) {
		RouterFunction<ServerResponse> routes = context.getBean("webPipeRouterFunction", RouterFunction.class);
		return WebTestClient.bindToRouterFunction(routes).build();
	}

	/** The typed settings of {@code config shout}. */
	record ShoutSettings(Integer maxLength, String suffix) {

		ShoutSettings {
			maxLength = (maxLength != null) ? maxLength : 10;
			suffix = (suffix != null) ? suffix : "";
			if (maxLength < 1) {
				throw new IllegalArgumentException("maxLength must be at least 1");
			}
		}

	}

	/** Upper-cases {@code .params.word}, cut to {@code maxLength}, followed by {@code suffix}. */
	static final class Shout implements Middleware {

		static final ConfigBlock<ShoutSettings> CONFIG = ConfigBlock.of("shout", ShoutSettings.class);

		@Override
		public String name() {
			return "shout";
		}

		@Override
		public ConfigBlock<?> configBlock() {
			return CONFIG;
		}

		@Override
		public List<ErrorContract> errors() {
			return List.of(new ErrorContract("wordTooLong", 422));
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) throws InvalidStepException {
			ShoutSettings settings = definition.settings(CONFIG);
			return (input) -> {
				String word = input.state().path("params").path("word").asText();
				if (word.length() > 20) {
					return Mono.just(StepResult.failure(Errors.error("wordTooLong", "at most 20 letters")));
				}
				String cut = word.substring(0, Math.min(word.length(), settings.maxLength()));
				return Mono.just(StepResult.of(Json.NODES.objectNode()
					.put("shout", cut.toUpperCase(java.util.Locale.ROOT) + settings.suffix())));
			};
		}

	}

}
