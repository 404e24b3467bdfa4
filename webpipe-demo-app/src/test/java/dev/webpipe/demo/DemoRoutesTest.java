package dev.webpipe.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of the demo answers as documented, on the demo's own services (embedded
 * PostgreSQL, its GraphQL schema, its REST API): the examples of the concurrency guide.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DemoRoutesTest {

	private static final String USERS = "[{\"id\":\"1\",\"name\":\"Ada Lovelace\"},{\"id\":\"2\",\"name\":\"Grace Hopper\"},"
			+ "{\"id\":\"3\",\"name\":\"Alan Turing\"}]";

	@Autowired
	private WebTestClient client;

	@Test
	void everyRouteOfTheHomePageAnswers() {
		String home = this.client.get().uri("/").exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		Matcher links = Pattern.compile("href=\"(/[^\"]*)\"").matcher(home);
		Map<String, Integer> expected = new LinkedHashMap<>();
		expected.put("/users/42", 404);
		expected.put("/users/abc", 400);
		expected.put("/async-with-errors?fail=api1", 502);
		expected.put("/async-with-errors?fail=api2", 500);
		expected.put("/async-with-errors?fail=http", 502);
		expected.put("/members", 401);
		expected.put("/members/accounts", 401);
		expected.put("/swagger-ui.html", 302);
		List<String> paths = new ArrayList<>();
		while (links.find()) {
			paths.add(links.group(1));
		}
		assertThat(paths).hasSizeGreaterThanOrEqualTo(22);
		for (String path : paths) {
			int status = this.client.get().uri(path).exchange().returnResult(byte[].class).getStatus().value();
			assertThat(status).as(path).isEqualTo(expected.getOrDefault(path, 200));
		}
	}

	@Test
	void noJoinAnswersAtOnceWithTheRequest() {
		this.client.get().uri("/dashboard/no-join").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.path").isEqualTo("/dashboard/no-join")
			.jsonPath("$.async").doesNotExist();
	}

	@Test
	void dashboardJoinsTwoFetches() {
		expectJson("/dashboard", "{\"userCount\":3,\"postCount\":4}");
	}

	@Test
	void summaryJoinsAFetchAndAQuery() {
		expectJson("/summary", "{\"analytics\":{\"visits\":1024,\"signups\":3},\"db\":{\"count\":4}}");
	}

	@Test
	void graphqlDashboardJoinsThreeQueries() {
		this.client.get().uri("/graphql-dashboard").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.users.length()").isEqualTo(3)
			.jsonPath("$.statistics.posts").isEqualTo(4)
			.jsonPath("$.recentPosts[3].title").isEqualTo("Can machines think?");
	}

	@Test
	void dashboardDataCountsNamedResults() {
		expectJson("/dashboard/data", "{\"userCount\":3,\"postCount\":4,\"commentCount\":3}");
	}

	@Test
	void sequentialAndParallelAnswerTheSameAndParallelIsClearlyFaster() {
		String body = "{\"users\":[{\"id\":\"1\"},{\"id\":\"2\"},{\"id\":\"3\"}],\"stats\":{\"users\":3,\"posts\":4,"
				+ "\"orders\":3},\"posts\":[{\"id\":\"1\"},{\"id\":\"2\"},{\"id\":\"3\"},{\"id\":\"4\"}]}";
		expectJson("/sequential", body);
		expectJson("/parallel", body);
		long sequential = Long.MAX_VALUE;
		long parallel = Long.MAX_VALUE;
		for (int round = 0; round < 3; round++) {
			sequential = Math.min(sequential, time("/sequential"));
			parallel = Math.min(parallel, time("/parallel"));
		}
		assertThat(parallel).as("parallel %d ms, sequential %d ms", parallel / 1_000_000, sequential / 1_000_000)
			.isLessThan((long) (sequential * 0.6));
	}

	@Test
	void mixedAsyncJoinsHttpGraphqlAndSql() {
		expectJson("/mixed-async", "{\"external\":{\"value\":\"from the external API\"},\"internal\":" + USERS
				+ ",\"stats\":[{\"name\":\"signups\",\"value\":3},{\"name\":\"visits\",\"value\":1024}]}");
	}

	@Test
	void conditionalAsyncStartsThePremiumQueryOnlyForPremium() {
		expectJson("/conditional-async", "{\"basic\":{\"plan\":\"basic\",\"features\":[\"dashboard\",\"reports\"]},"
				+ "\"premium\":null}");
		expectJson("/conditional-async?plan=premium", "{\"basic\":{\"plan\":\"basic\",\"features\":[\"dashboard\","
				+ "\"reports\"]},\"premium\":{\"plan\":\"premium\",\"features\":[\"forecasts\",\"exports\",\"support\"]}}");
	}

	@Test
	void nestedAsyncComputesArgumentsFromAnEarlierResult() {
		expectJson("/nested-async", "{\"user\":{\"id\":1,\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\"},"
				+ "\"posts\":[{\"id\":\"1\",\"title\":\"Notes on the Analytical Engine\"}],\"followers\":[{\"id\":101,"
				+ "\"name\":\"follower one\"},{\"id\":201,\"name\":\"follower two\"}]}");
	}

	@Test
	void asyncErrorsAreRoutedByTheResultBlock() {
		expectJson("/async-with-errors", "{\"data1\":{\"value\":\"from the external API\"},\"data2\":{\"value\":"
				+ "\"from GraphQL\"}}");
		this.client.get().uri("/async-with-errors?fail=api1").exchange().expectStatus().isEqualTo(502).expectBody()
			.json("{\"error\":\"External service unavailable\"}", true);
		this.client.get().uri("/async-with-errors?fail=both").exchange().expectStatus().isEqualTo(502).expectBody()
			.json("{\"error\":\"External service unavailable\"}", true);
		this.client.get().uri("/async-with-errors?fail=api2").exchange().expectStatus().isEqualTo(500).expectBody()
			.jsonPath("$.error").isEqualTo("GraphQL query failed")
			.jsonPath("$.details[0].type").isEqualTo("graphqlError")
			.jsonPath("$.details[0].message").isEqualTo("the data service failed")
			.jsonPath("$.details[0].task").isEqualTo("api2");
		// unhandled: the client sees the type, a generic message, the task and the request id, not the upstream's
		this.client.get().uri("/async-with-errors?fail=http").exchange().expectStatus().isEqualTo(502).expectBody()
			.json("{\"error\":\"External service answered an error\",\"upstreamStatus\":503}", true);
	}

	@Test
	void theHomePageLinksGraphiqlAndTheApi() {
		String home = this.client.get().uri("/").exchange().expectBody(String.class).returnResult().getResponseBody();
		assertThat(home).contains("href=\"/graphiql?path=/graphql\"", "href=\"/api\"");
		this.client.get().uri("/graphiql?path=/graphql").exchange().expectStatus().isOk()
			.expectBody(String.class).value((page) -> assertThat(page).containsIgnoringCase("graphiql"));
		this.client.get().uri("/api").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.endpoints[0]").isEqualTo("/api/users");
	}

	/** docs/demo.md#the-home-page: the page reads each example's source from the program that runs. */
	@Test
	void theSourceOfTheRouteThatServesAPath() {
		this.client.get().uri("/demo/source?path=/parallel").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.line").isEqualTo(54)
			.jsonPath("$.source").isEqualTo("""
					# ... and at the same time (about 100 ms).
					GET /parallel
					  |> graphql: `{ users { id } }` @async(users)
					  |> graphql: `{ stats { users posts orders } }` @async(stats)
					  |> graphql: `{ posts { id } }` @async(posts)
					  |> join: `users, stats, posts`
					  |> jq: `{ users: .async.users.data.users, stats: .async.stats.data.stats, posts: .async.posts.data.posts }`""");
		this.client.get().uri("/demo/source?path=/users/42").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.file").isEqualTo("routes/users.wp")
			.jsonPath("$.route").isEqualTo("GET /users/:id")
			.jsonPath("$.source").value((String source) -> assertThat(source)
				.startsWith("# Users from PostgreSQL")
				.contains("pg userById = `SELECT id, name, email, created_at FROM users WHERE id = $1`\n\nGET /users/:id\n  |> jq:")
				.contains("validationError(400):")
				.doesNotContain("describe"));
		this.client.get().uri("/demo/source?path=/nowhere").exchange().expectStatus().isNotFound().expectBody()
			.json("{\"error\":\"No GET route serves this path\"}", true);
	}

	/** docs/demo.md#the-home-page: the waterfall is drawn from Server-Timing, which the demo turns on. */
	@Test
	void answersCarryServerTimingWithStartOffsets() {
		String header = this.client.get().uri("/parallel").exchange().expectStatus().isOk().returnResult(byte[].class)
			.getResponseHeaders().getFirst("Server-Timing");
		assertThat(header).contains("start=").contains("desc=\"graphql routes/concurrency.wp:55\"")
			.contains("desc=\"@async routes/concurrency.wp:");
	}

	/** The entry that docs/demo.md gives as the way to add an example is one of the page's list. */
	@Test
	void theDocumentedExampleEntryIsOnThePage() throws Exception {
		String docs = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/demo.md"));
		int start = docs.indexOf("```html\n") + "```html\n".length();
		String entry = docs.substring(start, docs.indexOf("```", start)).strip();
		String home = this.client.get().uri("/").exchange().expectBody(String.class).returnResult().getResponseBody();
		assertThat(home.replaceAll("\\s+", " ")).contains(entry.replaceAll("\\s+", " "));
	}

	@Test
	void theReadmeExampleRuns() {
		expectJson("/orders/17?who=kim", "{\"id\":17,\"status\":\"shipped\",\"asked\":\"kim\"}");
	}

	private void expectJson(String path, String json) {
		byte[] body = this.client.get().uri(path).exchange().expectStatus().isOk().expectBody().returnResult()
			.getResponseBody();
		assertThat(new String(body, StandardCharsets.UTF_8)).as(path).isEqualTo(json);
	}

	private long time(String path) {
		long start = System.nanoTime();
		this.client.get().uri(path).exchange().expectStatus().isOk();
		return System.nanoTime() - start;
	}

}
