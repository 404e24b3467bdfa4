package dev.webpipe.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.ExecutionGraphQlService;
import org.springframework.graphql.client.GraphQlClient;
import org.springframework.graphql.client.GraphQlClientInterceptor;

import dev.webpipe.middleware.graphql.GraphqlMiddleware;
import dev.webpipe.middleware.http.OutboundHttp;

/**
 * The {@code graphql} client middleware. Its target is chosen when the {@code .wp} files are
 * compiled: {@code webpipe.graphql.endpoint}, else {@code config graphql { endpoint }}, else the
 * application's own {@link ExecutionGraphQlService} (looked up then, so the GraphQL
 * auto-configuration has run), else a load-time error at the first {@code graphql} step.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(GraphQlClient.class)
class GraphqlConfiguration {

	@Bean
	WebPipeBuiltins webPipeGraphqlBuiltins(ObjectProvider<OutboundHttp> http,
			ObjectProvider<ExecutionGraphQlService> service, ObjectProvider<GraphQlClientInterceptor> interceptors,
			WebPipeProperties properties) {
		return new WebPipeBuiltins(List.of(new GraphqlMiddleware(http::getIfAvailable,
				properties.getGraphql().getEndpoint(), service::getIfUnique,
				() -> interceptors.orderedStream().toList())));
	}

}
