package dev.webpipe.demo;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's cached route and rate-limited route, on its own GraphQL schema, with the local store. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DemoCacheAndRateLimitTest {

	@Autowired
	private WebTestClient client;

	@Autowired
	private org.springframework.context.ApplicationContext context;

	@Test
	void withoutRedisTheDemoKeepsTheLocalStoresAndItsHealthIsUp() {
		assertThat(this.context.getBean(dev.webpipe.middleware.cache.CacheStore.class))
			.isInstanceOf(dev.webpipe.middleware.cache.LocalCacheStore.class);
		// the Redis starter is there, but Boot's Redis health contributor only with webpipe.store.type=redis
		assertThat(this.context.getBeanNamesForType(
				org.springframework.boot.data.redis.health.DataRedisReactiveHealthIndicator.class)).isEmpty();
		this.client.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP");
	}

	@Test
	void theCachedRouteAnswersTheSameStatsFromTheCache() {
		WebTestClient client = this.client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
		String first = body(client.get().uri("/cached/stats?from=test").exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult());
		assertThat(first).contains("\"stats\":{\"users\":").contains("\"cached\":\"for 10 s\"");
		String second = body(client.get().uri("/cached/stats?from=test").exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult());
		assertThat(second).isEqualTo(first);
	}

	@Test
	void theSixthRequestOfAMinuteIsRefused() {
		int refusedAt = -1;
		for (int i = 1; i <= 6 && refusedAt < 0; i++) {
			EntityExchangeResult<String> result = this.client.get().uri("/limited").exchange()
				.expectBody(String.class).returnResult();
			if (result.getStatus().value() == 429) {
				refusedAt = i;
				assertThat(Integer.parseInt(result.getResponseHeaders().getFirst("Retry-After"))).isBetween(1, 60);
				assertThat(result.getResponseBody()).contains("\"type\":\"rateLimitExceeded\"")
					.contains("Rate limit exceeded for key 'demo-127.0.0.1': 5/5 requests in 60s window.");
			}
			else {
				assertThat(result.getStatus().value()).isEqualTo(200);
			}
		}
		// the home page test may have used one request of this minute's window already
		assertThat(refusedAt).isBetween(5, 6);
	}

	private static String body(EntityExchangeResult<String> result) {
		return result.getResponseBody();
	}

}
