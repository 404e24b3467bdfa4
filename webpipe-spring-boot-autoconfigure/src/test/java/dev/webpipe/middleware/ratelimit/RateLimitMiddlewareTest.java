package dev.webpipe.middleware.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.language.LoadException;
import dev.webpipe.testing.Programs;
import dev.webpipe.testing.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code rateLimit} on the local store, with windows driven by a test clock. */
class RateLimitMiddlewareTest {

	private final TestClock clock = new TestClock();

	private final LocalRateLimitStore store = new LocalRateLimitStore(this.clock);

	@Test
	void aWindowAllowsLimitPlusBurstThenAnswers429WithRetryAfter() {
		WebTestClient client = client("""
				GET /api/:user
				  |> rateLimit: `keyTemplate: user-{params.user}, limit: 2, burst: 1, window: 1m`
				  |> jq: `{ ok: true }`
				""");
		for (int i = 0; i < 3; i++) {
			client.get().uri("/api/ada").exchange().expectStatus().isOk().expectBody().json("{\"ok\":true}");
		}
		this.clock.advance(Duration.ofSeconds(15));
		client.get().uri("/api/ada").exchange().expectStatus().isEqualTo(429).expectHeader()
			.valueEquals("Retry-After", "45").expectBody()
			.json("""
					{"errors":[{"type":"rateLimitExceeded",
					  "message":"Rate limit exceeded for key 'user-ada': 3/3 requests in 60s window. Retry after 45s",
					  "key":"user-ada","limit":3,"retryAfter":45}]}""")
			.jsonPath("$.errors.length()").isEqualTo(1)
			.jsonPath("$.errors[0].length()").isEqualTo(5)
			.jsonPath("$.requestId").isNotEmpty()
			.jsonPath("$.length()").isEqualTo(2);
		// another key has its own window
		client.get().uri("/api/bob").exchange().expectStatus().isOk();
		this.clock.advance(Duration.ofSeconds(45));
		client.get().uri("/api/ada").exchange().expectStatus().isOk();
	}

	@Test
	void deniedRequestsAreNotCountedAndTheWindowRestartsAtOne() {
		WebTestClient client = client("""
				GET /one
				  |> rateLimit: `keyTemplate: one, limit: 1, window: 10`
				  |> jq: `$context.rate_limit`
				""");
		assertThat(body(client, "/one", 200)).isEqualTo(
				"{\"allowed\":true,\"remaining\":0,\"limit\":1,\"retry_after\":10,\"key\":\"one\",\"scope\":null}");
		for (int i = 0; i < 3; i++) {
			client.get().uri("/one").exchange().expectStatus().isEqualTo(429);
		}
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(body(client, "/one", 200)).contains("\"allowed\":true");
		client.get().uri("/one").exchange().expectStatus().isEqualTo(429);
	}

	@Test
	void theScopeIsPartOfTheKey() {
		WebTestClient client = client("""
				GET /a
				  |> rateLimit: `keyTemplate: shared, limit: 1, window: 60, scope: a`
				  |> jq: `{ a: true }`
				GET /b
				  |> rateLimit: `keyTemplate: shared, limit: 1, window: 60, scope: b`
				  |> jq: `{ b: true }`
				GET /c
				  |> rateLimit: `keyTemplate: shared, limit: 1, window: 60, scope: a`
				  |> jq: `$context.rate_limit`
				""");
		client.get().uri("/a").exchange().expectStatus().isOk();
		client.get().uri("/b").exchange().expectStatus().isOk();
		client.get().uri("/c").exchange().expectStatus().isEqualTo(429);
	}

	@Test
	void aResultBranchHandlesTheErrorAndTheStateIsOtherwiseUnchanged() {
		WebTestClient client = client("""
				GET /handled
				  |> jq: `{ kept: 1 }`
				  |> rateLimit: `keyTemplate: {missing}-{kept}-{nothing.deeper}, limit: 0, window: 500ms`
				  |> result
				    ok(200):
				      |> jq: `{ kept: .kept, rl: $context.rate_limit.key }`
				    rateLimitExceeded(503):
				      |> jq: `{ wait: .errors[0].retryAfter, kept: .kept }`
				""");
		assertThat(body(client, "/handled", 200)).isEqualTo("{\"kept\":1,\"rl\":\"unknown-1-unknown\"}");
		assertThat(body(client, "/handled", 503)).isEqualTo("{\"wait\":1,\"kept\":1}");
	}

	@Test
	void disabledStepsCountNothingAndInlineArgumentsConfigureAStep() {
		WebTestClient client = client("""
				GET /off
				  |> rateLimit: `keyTemplate: off, limit: 0, window: 60, enabled: false`
				  |> jq: `{ context: $context.rate_limit }`
				GET /argument/:n
				  |> rateLimit({ keyTemplate: "arg", limit: .params.n, window: "1h" })
				  |> jq: `{ ok: true }`
				GET /incomplete
				  |> rateLimit({ keyTemplate: "x" })
				  |> jq: `{ ok: true }`
				""");
		for (int i = 0; i < 3; i++) {
			assertThat(body(client, "/off", 200)).isEqualTo("{\"context\":null}");
		}
		client.get().uri("/argument/2").exchange().expectStatus().isOk();
		client.get().uri("/argument/2").exchange().expectStatus().isOk();
		client.get().uri("/argument/2").exchange().expectStatus().isEqualTo(429).expectHeader()
			.valueEquals("Retry-After", "3600");
		client.get().uri("/incomplete").exchange().expectStatus().isEqualTo(500).expectBody()
			.jsonPath("$.errors[0].type").isEqualTo("rateLimitError");
	}

	@Test
	void windowsAcceptUnits() {
		assertThat(retryAfter("10")).isEqualTo("10");
		assertThat(retryAfter("1500ms")).isEqualTo("1");
		assertThat(retryAfter("2m")).isEqualTo("120");
		assertThat(retryAfter("1h")).isEqualTo("3600");
		assertThat(retryAfter("1d")).isEqualTo("86400");
	}

	@Test
	void theStoreKeepsAtMostMaxEntriesWindows() {
		WebTestClient client = client("""
				config rateLimit { maxEntries: 5 }
				GET /w/:id
				  |> rateLimit: `keyTemplate: {params.id}, limit: 5, window: 60`
				  |> jq: `{ ok: true }`
				""");
		for (int i = 0; i < 20; i++) {
			client.get().uri("/w/" + i).exchange().expectStatus().isOk();
		}
		assertThat(this.store.size()).isLessThanOrEqualTo(5);
	}

	@Test
	void missingRequiredSettingsAndBadWindowsAreLoadTimeErrors() {
		assertThatExceptionOfType(LoadException.class).isThrownBy(() -> compile("""
				GET /a
				  |> rateLimit: `limit: 5, window: 60`
				"""))
			.withMessageContaining("app.wp:2:17: rateLimit: keyTemplate, limit and window are required\n"
					+ "  |> rateLimit: `limit: 5, window: 60`\n                ^");
		assertThatExceptionOfType(LoadException.class).isThrownBy(() -> compile("""
				GET /a
				  |> rateLimit
				"""))
			.withMessageContaining("app.wp:2:6: rateLimit: keyTemplate, limit and window are required");
		assertThatExceptionOfType(LoadException.class).isThrownBy(() -> compile("""
				GET /a
				  |> rateLimit: `keyTemplate: k, limit: 5, window: soon`
				"""))
			.withMessageContaining("app.wp:2:17: rateLimit: invalid window 'soon'");
		assertThatExceptionOfType(LoadException.class).isThrownBy(() -> compile("""
				GET /a
				  |> rateLimit: `keyTemplate: k, limit: many, window: 1m`
				"""))
			.withMessageContaining("app.wp:2:17: rateLimit: invalid value 'many' for 'limit'");
		assertThatExceptionOfType(LoadException.class).isThrownBy(() -> compile("""
				config rateLimit { maxEntries: 0 }
				GET /a
				  |> rateLimit: `keyTemplate: k, limit: 5, window: 1m`
				"""))
			.withMessageContaining("app.wp:1:20: config rateLimit: invalid value '0' for 'maxEntries' (1 or more)\n"
					+ "config rateLimit { maxEntries: 0 }\n                   ^");
	}

	private String retryAfter(String window) {
		this.store.clear();
		WebTestClient client = client("GET /w\n  |> rateLimit: `keyTemplate: w, limit: 0, window: " + window
				+ "`\n  |> jq: `{}`\n");
		client.get().uri("/w").exchange().expectStatus().isOk();
		return client.get().uri("/w").exchange().expectStatus().isEqualTo(429).returnResult(byte[].class)
			.getResponseHeaders().getFirst("Retry-After");
	}

	private CompiledProgram compile(String text) {
		return Programs.compile("app.wp", text, List.of(new RateLimitMiddleware(this.store)));
	}

	private WebTestClient client(String text) {
		return Programs.client(compile(text));
	}

	private static String body(WebTestClient client, String path, int status) {
		byte[] body = client.get().uri(path).exchange().expectStatus().isEqualTo(status).expectBody().returnResult()
			.getResponseBody();
		return new String(body, StandardCharsets.UTF_8);
	}

}
