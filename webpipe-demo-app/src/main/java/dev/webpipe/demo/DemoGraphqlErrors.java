package dev.webpipe.demo;

import graphql.GraphqlErrorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;
import org.springframework.graphql.execution.ErrorType;

/** The demo's GraphQL errors carry the resolver's message, so routes show what failed. */
@Configuration(proxyBeanMethods = false)
class DemoGraphqlErrors {

	@Bean
	DataFetcherExceptionResolver demoExceptionMessages() {
		return DataFetcherExceptionResolver.forSingleError((ex, environment) -> GraphqlErrorBuilder.newError(environment)
			.message(ex.getMessage())
			.errorType(ErrorType.INTERNAL_ERROR)
			.build());
	}

}
