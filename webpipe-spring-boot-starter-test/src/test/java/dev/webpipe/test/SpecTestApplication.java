package dev.webpipe.test;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

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
