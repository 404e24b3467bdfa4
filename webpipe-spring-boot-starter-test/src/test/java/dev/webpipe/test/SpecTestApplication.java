package dev.webpipe.test;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

import dev.webpipe.instrumentation.ActiveInstrumentation;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.runtime.RequestContext;

/**
 * The application of the runner's tests: {@code .wp} files from {@code spec/…} (chosen by each
 * test with {@code webpipe.routes-location}) and a small Spring GraphQL schema served in-process.
 * Its {@link #main} is what the command-line tests start.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SpecTestApplication.GraphqlController.class)
public class SpecTestApplication {

	public static void main(String[] args) {
		SpringApplication.run(SpecTestApplication.class, args);
	}

	/**
	 * {@code |> probe}: whether the test runner's instrumentation takes part in the request, and whether its
	 * error responses show every detail.
	 */
	@Bean
	Middleware probe(ObjectProvider<SpecInstrumentation> runner) {
		return new Middleware() {

			@Override
			public String name() {
				return "probe";
			}

			@Override
			public ExecutableStep compile(StepDefinition definition) {
				return (input) -> {
					ActiveInstrumentation active = ((RequestContext) input.context()).instrumentation();
					boolean taking = active != null && active.stateOf(runner.getObject()) != null;
					return Mono.just(StepResult.of(Json.NODES.objectNode()
						.put("runner", taking)
						.put("details", active != null && active.includesErrorDetails())));
				};
			}

		};
	}

	@Controller
	static class GraphqlController {

		@QueryMapping
		String hello(@Argument String name) {
			return "Hello, " + name;
		}

		@QueryMapping
		Map<String, Object> user(@Argument String id) {
			return Map.of("id", id, "name", "User " + id);
		}

		@MutationMapping
		Map<String, Object> placeOrder(@Argument Double total, @Argument String currency) {
			return Map.of("id", "order-" + total + "-" + currency);
		}

	}

}
