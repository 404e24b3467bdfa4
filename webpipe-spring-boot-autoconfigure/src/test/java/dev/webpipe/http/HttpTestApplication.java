package dev.webpipe.http;

import com.fasterxml.jackson.databind.JsonNode;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The application of the fetch and graphql application tests: {@code .wp} routes from
 * {@code http-app/routes/}, a Spring GraphQL schema from {@code http-app/graphql/} with the
 * controller below, and a plain controller. No component scanning.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ HttpTestApplication.GraphqlController.class, HttpTestApplication.PlainController.class })
public class HttpTestApplication {

	@Controller
	static class GraphqlController {

		@QueryMapping
		String hello(@Argument String name) {
			return "Hello, " + ((name != null) ? name : "world");
		}

		@QueryMapping
		Map<String, Object> user(@Argument String id) {
			return Map.of("id", id, "name", "User " + id, "tags", List.of("a", "b", "c", "d", "e", "f", "g", "h"));
		}

		@QueryMapping
		Mono<String> slow(@Argument int ms) {
			return Mono.delay(Duration.ofMillis(ms)).thenReturn("done");
		}

		@QueryMapping
		String boom() {
			throw new IllegalStateException("kaboom");
		}

		/** {@code .params.who} of the calling step's state, when the call was in-process. */
		@QueryMapping
		String stateEcho(@ContextValue(name = "webpipe.state", required = false) JsonNode state) {
			return (state != null) ? state.path("params").path("who").asText("no who") : null;
		}

	}

	@RestController
	static class PlainController {

		@RequestMapping(path = "/plain-controller", method = { RequestMethod.GET, RequestMethod.POST })
		String plain() {
			return "from a controller";
		}

		/** Another method of a path that a {@code .wp} route serves: its OpenAPI operation stays. */
		@RequestMapping(path = "/openapi/items/{id}", method = RequestMethod.DELETE)
		String deleteItem(@org.springframework.web.bind.annotation.PathVariable String id) {
			return "deleted " + id;
		}

	}

}
