package dev.webpipe.middleware.graphql;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.LoadException;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Without an endpoint or a GraphQL schema in the application, graphql steps cannot load. */
class GraphqlTargetTest {

	@Test
	void noTargetIsOneLoadErrorAtTheFirstGraphqlStep() {
		GraphqlMiddleware graphql = new GraphqlMiddleware(() -> null, null, () -> null);
		String wp = """
				GET /users
				  |> graphql: `{ users { id } }`

				GET /posts
				  |> graphql: `{ posts { id } }`
				""";
		assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> Programs.compile("routes/app.wp", wp, List.of(graphql)))
			.satisfies((ex) -> {
				List<Diagnostic> errors = ex.errors();
				assertThat(errors).hasSize(1);
				assertThat(ex.getMessage()).contains("routes/app.wp:2:15: graphql: no GraphQL target: set "
						+ "webpipe.graphql.endpoint, add config graphql { endpoint: \"https://…\" }, or serve a Spring "
						+ "GraphQL schema in this application");
			});
	}

	@Test
	void aRelativeConfigEndpointIsNotATarget() {
		GraphqlMiddleware graphql = new GraphqlMiddleware(() -> null, null, () -> null);
		String wp = "config graphql {\n  endpoint: \"/graphql\"\n}\nGET /users\n  |> graphql: `{ users { id } }`\n";
		assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> Programs.compile("routes/app.wp", wp, List.of(graphql)))
			.withMessageContaining("graphql: no GraphQL target");
	}

	@Test
	void withoutGraphqlStepsNoTargetIsNeeded() {
		GraphqlMiddleware graphql = new GraphqlMiddleware(() -> null, null, () -> null);
		assertThat(Programs.compile("routes/app.wp", "GET /a\n  |> jq: `{}`\n", List.of(graphql)).routes())
			.hasSize(1);
	}

}
