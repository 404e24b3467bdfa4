package dev.webpipe.middleware.graphql;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.graphql.ExecutionGraphQlService;
import org.springframework.graphql.GraphQlRequest;
import org.springframework.graphql.GraphQlResponse;
import org.springframework.graphql.client.ClientGraphQlRequest;
import org.springframework.graphql.client.GraphQlTransport;
import org.springframework.graphql.support.DefaultExecutionGraphQlRequest;

/**
 * Executes client requests on the application's own {@link ExecutionGraphQlService}, without
 * HTTP. The request attribute {@value GraphqlMiddleware#STATE_KEY} (the step's state) is put
 * into the GraphQL context under the same key. Subscriptions are not supported: they end with an
 * error signal.
 */
final class InProcessGraphQlTransport implements GraphQlTransport {

	private final ExecutionGraphQlService service;

	private final AtomicLong ids = new AtomicLong();

	InProcessGraphQlTransport(ExecutionGraphQlService service) {
		this.service = service;
	}

	@Override
	public Mono<GraphQlResponse> execute(GraphQlRequest request) {
		return Mono.defer(() -> {
			DefaultExecutionGraphQlRequest execution = new DefaultExecutionGraphQlRequest(request.getDocument(),
					request.getOperationName(), request.getVariables(), request.getExtensions(),
					"webpipe-" + this.ids.incrementAndGet(), null);
			Object state = (request instanceof ClientGraphQlRequest client)
					? client.getAttributes().get(GraphqlMiddleware.STATE_KEY) : null;
			if (state != null) {
				execution.configureExecutionInput((input, builder) -> builder
					.graphQLContext(Map.of(GraphqlMiddleware.STATE_KEY, state))
					.build());
			}
			return this.service.execute(execution).cast(GraphQlResponse.class);
		});
	}

	@Override
	public Flux<GraphQlResponse> executeSubscription(GraphQlRequest request) {
		return Flux.error(new UnsupportedOperationException("graphql steps do not run subscriptions"));
	}

}
