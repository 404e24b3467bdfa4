package dev.webpipe.http;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.testing.ParallelTiming;

/**
 * The seed's GraphQL and mixed examples end to end (concurrency.md §11.4–11.7, §11.10): real
 * {@code graphql} and {@code fetch} steps started with {@code @async}, over real HTTP.
 */
class SeedExamplesHttpTest extends HttpApplicationTests {

	@Autowired
	private WebTestClient client;

	@Test
	void threeParallelQueriesTakeWellUnderTheSequentialTime() {
		this.client.get().uri("/seed/parallel").exchange().expectStatus().isOk().expectBody()
			.json("{\"users\":\"done\",\"stats\":\"done\",\"posts\":\"done\"}", true);
		this.client.get().uri("/seed/sequential").exchange().expectStatus().isOk().expectBody()
			.json("{\"data\":{\"posts\":\"done\"}}", true);
		ParallelTiming.assertClearlyFaster(this.client, "/seed/parallel", "/seed/sequential");
	}

	@Test
	void graphqlDashboardReadsEachTaskUnderAsync() {
		// The first GraphQL query of a cold context (schema, Spring GraphQL's first execution) may take longer than
		// the shared context's 2 s fetch timeout on a loaded machine; what this test is about is the second.
		this.client.get().uri("/seed/graphql-dashboard").exchange();
		this.client.get().uri("/seed/graphql-dashboard").exchange().expectStatus().isOk().expectBody()
			.json("{\"users\":{\"id\":\"1\",\"name\":\"User 1\"},\"statistics\":\"Hello, stats\"}", true);
	}

	@Test
	void resultNamesApplyInsideTasks() {
		this.client.get().uri("/seed/dashboard/data").exchange().expectStatus().isOk().expectBody()
			.json("{\"userId\":\"7\",\"greeting\":\"Hello, world\"}", true);
	}

	@Test
	void mixedSourcesJoinTogether() {
		this.client.get().uri("/seed/mixed-async").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.internal.name").isEqualTo("User 2")
			.jsonPath("$.external").exists();
	}

	@Test
	void failingTasksAreRoutedByResultOnTheFirstFailureInListOrder() {
		this.client.get().uri("/seed/async-with-errors/none").exchange().expectStatus().isOk().expectBody()
			.json("{\"ok\":true}", true);
		this.client.get().uri("/seed/async-with-errors/api1").exchange().expectStatus().isEqualTo(502).expectBody()
			.json("{\"error\":\"External service unavailable\",\"tasks\":[\"api1\"],\"types\":[\"networkError\"]}",
					true);
		this.client.get().uri("/seed/async-with-errors/api2").exchange().expectStatus().isEqualTo(500).expectBody()
			.jsonPath("$.error").isEqualTo("GraphQL query failed")
			.jsonPath("$.task").isEqualTo("api2")
			.jsonPath("$.message").isNotEmpty();
		this.client.get().uri("/seed/async-with-errors/both").exchange().expectStatus().isEqualTo(502).expectBody()
			.json("{\"error\":\"External service unavailable\",\"tasks\":[\"api1\",\"api2\"],"
					+ "\"types\":[\"networkError\",\"graphqlError\"]}", true);
	}

}
