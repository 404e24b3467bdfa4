package dev.webpipe.test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Where tests run (JUnit Jupiter on the class path, or {@code --webpipe.test}): the runner's instrumentation
 * ({@link SpecInstrumentation}) and, with Spring GraphQL, its mocks of GraphQL root fields
 * ({@link GraphqlFieldMocks}); both act only on the runner's own requests. With {@code --webpipe.test}, also
 * {@link WebPipeTestCommand}. A serving application that carries the test artifact (the demo jar does) gets none
 * of it.
 */
@AutoConfiguration(afterName = "dev.webpipe.autoconfigure.WebPipeAutoConfiguration")
@Conditional(WebPipeTestAutoConfiguration.WhereTestsRun.class)
public final class WebPipeTestAutoConfiguration {

	@Bean
	SpecInstrumentation webPipeTestInstrumentation() {
		return new SpecInstrumentation();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.graphql.client.GraphQlClientInterceptor")
	static class GraphqlMocksConfiguration {

		@Bean
		GraphqlFieldMocks webPipeTestGraphqlFieldMocks() {
			return new GraphqlFieldMocks();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = WebPipeTestMode.PROPERTY)
	static class CommandConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebPipeTestCommand webPipeTestCommand(ApplicationContext context) {
			return new WebPipeTestCommand(context);
		}

	}

	/** JUnit Jupiter on the class path, or {@code webpipe.test} set. */
	static final class WhereTestsRun extends AnyNestedCondition {

		WhereTestsRun() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnClass(name = "org.junit.jupiter.api.DynamicTest")
		static final class JUnit {

		}

		@ConditionalOnProperty(name = WebPipeTestMode.PROPERTY)
		static final class CommandLine {

		}

	}

}
