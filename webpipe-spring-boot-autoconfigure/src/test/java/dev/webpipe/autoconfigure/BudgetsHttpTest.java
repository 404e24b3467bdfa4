package dev.webpipe.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile inputs against jq and Lua steps over real HTTP, with small budgets (docs/security.md): each is answered
 * with its typed error within five times its budget, ordinary requests are answered meanwhile, and the server is
 * healthy afterwards.
 */
@SpringBootTest(classes = BudgetsHttpTest.BudgetsApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "webpipe.routes-location=classpath:/budgets/", "webpipe.jq.max-evaluation-time=500ms",
				"webpipe.jq.max-emitted-values=200000", "webpipe.lua.max-execution-time=1s",
				"webpipe.lua.max-memory=8MB", "webpipe.lua.max-instructions=100000000" })
class BudgetsHttpTest {

	private static final Duration JQ_BOUND = Duration.ofMillis(500).multipliedBy(5);

	private static final Duration LUA_BOUND = Duration.ofSeconds(1).multipliedBy(5);

	private static final String BACKTRACKING_TEXT = "a".repeat(28) + "!";

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@LocalServerPort
	private int port;

	private final HttpClient healthClient = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private CompletableFuture<HttpResponse<String>> send(String path, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30));
		request = (body != null)
				? request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
				: request.GET();
		HttpClient client = (body != null) ? this.http : this.healthClient;
		return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode error(String path, String body, Duration bound) throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = send(path, body).get();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(took).as(path + " " + body).isLessThan(bound);
		assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(500);
		JsonNode error = Json.parse(response.body()).path("errors").path(0);
		assertThat(response.body()).doesNotContain("Exception", "dev.webpipe", "at ");
		return error;
	}

	private void assertHealthy() throws Exception {
		HttpResponse<String> health = send("/health?name=kim", null).get();
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).isEqualTo("{\"ok\":true,\"name\":\"kim\"}");
	}

	@Test
	void hostileJqIsAJqErrorWithinItsBudget() throws Exception {
		assertHealthy();
		JsonNode sum = error("/jq/sum", "{\"n\":1e12}", JQ_BOUND);
		assertThat(sum.path("type").asText()).isEqualTo("jqError");
		assertThat(sum.path("message").asText()).isIn("JQ execution error: jq evaluation exceeded 500ms",
				"JQ execution error: jq evaluation exceeded 200000 values");
		JsonNode collect = error("/jq/collect", "{\"n\":1e8}", JQ_BOUND);
		assertThat(collect.path("message").asText())
			.isEqualTo("JQ execution error: jq evaluation exceeded 200000 values");
		JsonNode regex = error("/jq/regex",
				"{\"text\":\"" + BACKTRACKING_TEXT + "\",\"pattern\":\"^(a+)+$\"}", JQ_BOUND);
		assertThat(regex.path("type").asText()).isEqualTo("jqError");
		assertThat(regex.path("message").asText()).isEqualTo("JQ execution error: jq evaluation exceeded 500ms");
		JsonNode loop = error("/jq/loop", "{}", JQ_BOUND);
		assertThat(loop.path("message").asText()).isIn("JQ execution error: jq evaluation exceeded 500ms",
				"JQ execution error: jq evaluation exceeded 200000 values", "JQ execution error: recursion too deep");
		assertHealthy();
	}

	@Test
	void hostileLuaIsALuaErrorWithinItsBudget() throws Exception {
		String pattern = "a*".repeat(24) + "b";
		for (String path : List.of("/lua/find", "/lua/method")) {
			JsonNode find = error(path, "{\"text\":\"" + "a".repeat(40) + "\",\"pattern\":\"" + pattern + "\"}",
					LUA_BOUND);
			assertThat(find.path("type").asText()).isEqualTo("luaError");
			assertThat(find.path("message").asText()).isEqualTo("Lua execution error: execution time of 1s exceeded");
		}
		String memory = "Lua execution error: memory budget of 8MB exceeded";
		assertThat(error("/lua/rep", "{\"n\":4e8}", LUA_BOUND).path("message").asText()).isEqualTo(memory);
		assertThat(error("/lua/double", "{\"n\":26}", LUA_BOUND).path("message").asText()).isEqualTo(memory);
		for (String path : List.of("/lua/format", "/lua/concat", "/lua/gsub")) {
			JsonNode error = error(path, "{}", LUA_BOUND);
			assertThat(error.path("type").asText()).as(path).isEqualTo("luaError");
			assertThat(error.path("message").asText()).as(path).isEqualTo(memory);
		}
		// ten million small tables: the memory budget, or the time budget on a busy machine
		assertThat(error("/lua/table", "{}", LUA_BOUND).path("message").asText()).isIn(memory,
				"Lua execution error: execution time of 1s exceeded");
		assertHealthy();
	}

	@Test
	void ordinaryRequestsAreAnsweredWhileHostileOnesRun() throws Exception {
		// warm: the first request of a cold server is slow whatever runs beside it
		for (int i = 0; i < 20; i++) {
			assertHealthy();
		}
		List<CompletableFuture<HttpResponse<String>>> hostile = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			hostile.add(send("/jq/sum", "{\"n\":1e12}"));
			hostile.add(send("/jq/regex", "{\"text\":\"" + BACKTRACKING_TEXT + "\",\"pattern\":\"^(a+)+$\"}"));
			hostile.add(send("/lua/find",
					"{\"text\":\"" + "a".repeat(40) + "\",\"pattern\":\"" + "a*".repeat(24) + "b\"}"));
		}
		Thread.sleep(100);
		for (int i = 0; i < 5; i++) {
			long start = System.nanoTime();
			assertHealthy();
			// generous: the hostile evaluations are off the event loop, so this is not queued behind them
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		}
		for (CompletableFuture<HttpResponse<String>> response : hostile) {
			assertThat(response.get().statusCode()).isEqualTo(500);
		}
		assertHealthy();
	}

	@SpringBootApplication
	static class BudgetsApplication {

	}

}
