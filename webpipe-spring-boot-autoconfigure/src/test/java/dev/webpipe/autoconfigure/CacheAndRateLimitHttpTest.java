package dev.webpipe.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.webpipe.middleware.cache.CacheStore;
import dev.webpipe.middleware.cache.LocalCacheStore;
import dev.webpipe.middleware.ratelimit.LocalRateLimitStore;
import dev.webpipe.middleware.ratelimit.RateLimitStore;
import dev.webpipe.testing.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cache} and {@code rateLimit} in a running application: the auto-configured local stores on the
 * application's clock, one refresher among concurrent requests for a stale entry, and 429 over HTTP.
 */
@WebPipeHttpTest
class CacheAndRateLimitHttpTest {

	@Autowired
	private WebTestClient client;

	@Autowired
	private TestClock clock;

	@Autowired
	private CacheStore cacheStore;

	@Autowired
	private RateLimitStore rateLimitStore;

	@LocalServerPort
	private int port;

	private final AtomicInteger upstreamHits = new AtomicInteger();

	private DisposableServer upstream;

	@BeforeEach
	void startUpstream() {
		this.upstream = HttpServer.create().host("127.0.0.1").port(0)
			.route((routes) -> routes.get("/hits", (request, response) -> {
				int hits = this.upstreamHits.incrementAndGet();
				return response.header("Content-Type", "application/json")
					.sendString(Mono.delay(Duration.ofMillis(800)).thenReturn("{\"hits\":" + hits + "}"));
			}))
			.bindNow();
	}

	@AfterEach
	void stopUpstream() {
		this.upstream.disposeNow();
	}

	@Test
	void theStoresAreTheLocalOnes() {
		assertThat(this.cacheStore).isInstanceOf(LocalCacheStore.class);
		assertThat(this.rateLimitStore).isInstanceOf(LocalRateLimitStore.class);
	}

	@Test
	void concurrentRequestsForAStaleEntryAreRefreshedByExactlyOne() {
		WebTestClient client = this.client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
		String uri = "/store/slow?run=" + UUID.randomUUID() + "&upstream=http://127.0.0.1:" + this.upstream.port()
				+ "/hits";
		client.get().uri(uri).exchange().expectStatus().isOk().expectBody().json("{\"hits\":1}", true);
		client.get().uri(uri).exchange().expectStatus().isOk().expectBody().json("{\"hits\":1}", true);
		assertThat(this.upstreamHits).hasValue(1);
		this.clock.advance(Duration.ofSeconds(11));
		WebClient web = WebClient.create("http://127.0.0.1:" + this.port);
		List<String> bodies = Flux.range(0, 8)
			.flatMap((i) -> web.get().uri(uri).retrieve().bodyToMono(String.class), 8)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(bodies).hasSize(8);
		assertThat(bodies).filteredOn("{\"hits\":2}"::equals).hasSize(1);
		assertThat(bodies).filteredOn("{\"hits\":1}"::equals).hasSize(7);
		assertThat(this.upstreamHits).hasValue(2);
		// the refresh is fresh again, and the slot was released
		client.get().uri(uri).exchange().expectBody().json("{\"hits\":2}", true);
		this.clock.advance(Duration.ofSeconds(11));
		client.get().uri(uri).exchange().expectBody().json("{\"hits\":3}", true);
	}

	@Test
	void aRateLimitedRouteAnswers429WithRetryAfterOverHttp() {
		String uri = "/store/limited?run=" + UUID.randomUUID();
		this.client.get().uri(uri).exchange().expectStatus().isOk().expectBody().json("{\"remaining\":1}", true);
		this.client.get().uri(uri).exchange().expectStatus().isOk().expectBody().json("{\"remaining\":0}", true);
		this.clock.advance(Duration.ofSeconds(20));
		this.client.get().uri(uri).exchange().expectStatus().isEqualTo(429).expectHeader()
			.valueEquals("Retry-After", "40").expectBody()
			.jsonPath("$.errors[0].type").isEqualTo("rateLimitExceeded")
			.jsonPath("$.errors[0].retryAfter").isEqualTo(40);
		this.clock.advance(Duration.ofSeconds(40));
		this.client.get().uri(uri).exchange().expectStatus().isOk();
	}

}
