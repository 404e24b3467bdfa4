package dev.webpipe.middleware.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.fetch.FetchMiddleware;
import dev.webpipe.middleware.http.OutboundHttp;
import dev.webpipe.middleware.ratelimit.LocalRateLimitStore;
import dev.webpipe.middleware.ratelimit.RateLimitMiddleware;
import dev.webpipe.testing.DocsExamples;
import dev.webpipe.testing.Programs;
import dev.webpipe.testing.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of {@code docs/middleware/cache.md} and {@code rate-limit.md}: each compiles, and the
 * behaviour the pages describe is the behaviour.
 */
class CacheAndRateLimitDocsTest {

	private final TestClock clock = new TestClock();

	private final List<Middleware> middleware = List.of(new CacheMiddleware(new LocalCacheStore(this.clock), this.clock),
			new RateLimitMiddleware(new LocalRateLimitStore(this.clock)),
			new FetchMiddleware(OutboundHttp.create(WebClient.builder(), Duration.ofSeconds(1), DataSize.ofKilobytes(1))));

	@TestFactory
	Stream<DynamicTest> everyExampleCompiles() throws Exception {
		List<DynamicTest> tests = new ArrayList<>();
		for (String page : List.of("cache.md", "rate-limit.md")) {
			for (DocsExamples.Block block : blocks(page)) {
				tests.add(DynamicTest.dynamicTest(block.name(),
						() -> assertThat(Programs.compile(block.name(), block.text(), this.middleware)).isNotNull()));
			}
		}
		assertThat(tests).hasSizeGreaterThanOrEqualTo(10);
		return tests.stream();
	}

	@Test
	void theExampleOfTheScalingPageCompiles() throws Exception {
		List<DocsExamples.Block> blocks = DocsExamples.blocks(DocsExamples.DOCS.resolve("scaling.md"));
		assertThat(blocks).hasSize(1);
		assertThat(Programs.compile(blocks.get(0).name(), blocks.get(0).text(), this.middleware)).isNotNull();
	}

	@Test
	void aNamedPipelinesEntryFeedsItsCaller() throws Exception {
		WebTestClient client = client("cache.md", 2);
		for (int i = 0; i < 2; i++) {
			client.get().uri("/catalog").exchange().expectStatus().isOk().expectBody()
				.json("{\"items\":[\"tea\",\"coffee\"],\"count\":2}", true);
		}
	}

	@Test
	void aHitAnswersTheCachedStatus() throws Exception {
		WebTestClient client = client("cache.md", 3);
		for (int i = 0; i < 2; i++) {
			client.post().uri("/reports").header("Content-Type", "application/json").bodyValue("{\"name\":\"q1\"}")
				.exchange().expectStatus().isEqualTo(201).expectBody().json("{\"created\":\"q1\"}", true);
		}
	}

	@Test
	void theQuotedRateLimitAnswersAreTheAnswers() throws Exception {
		WebTestClient plans = client("rate-limit.md", 1);
		for (int i = 0; i < 10; i++) {
			plans.get().uri("/api/plans/free").exchange().expectStatus().isOk();
		}
		plans.get().uri("/api/plans/free").exchange().expectStatus().isEqualTo(429);
		plans.get().uri("/api/plans/pro").exchange().expectStatus().isOk();

		WebTestClient quota = client("rate-limit.md", 3);
		assertThat(body(quota, "/quota", 200)).isEqualTo("{\"left\":9}");
		for (int i = 0; i < 9; i++) {
			quota.get().uri("/quota").exchange().expectStatus().isOk();
		}
		this.clock.advance(Duration.ofSeconds(48));
		assertThat(body(quota, "/quota", 429)).isEqualTo("{\"error\":\"slow down\",\"retryAfter\":12}");
	}

	private WebTestClient client(String page, int index) throws Exception {
		CompiledProgram program = Programs.compile(page, blocks(page).get(index).text(), this.middleware);
		return Programs.client(program);
	}

	private static List<DocsExamples.Block> blocks(String page) throws Exception {
		return DocsExamples.blocks(DocsExamples.DOCS.resolve("middleware/" + page));
	}

	private static String body(WebTestClient client, String path, int status) {
		byte[] body = client.get().uri(path).exchange().expectStatus().isEqualTo(status).expectBody().returnResult()
			.getResponseBody();
		return new String(body, StandardCharsets.UTF_8);
	}

}
