package dev.webpipe.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import dev.webpipe.middleware.store.StoreFailures;
import dev.webpipe.middleware.cache.CacheStore;
import dev.webpipe.middleware.cache.RedisCacheStore;
import dev.webpipe.middleware.ratelimit.RateLimitStore;
import dev.webpipe.middleware.ratelimit.RedisRateLimitStore;
import dev.webpipe.testing.TestClock;
import dev.webpipe.testing.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of one application, each with its own HTTP server and Redis connection, sharing one real Redis
 * ({@code webpipe.store.type=redis}, docs/scaling.md): one rate limit across both, an entry cached by one is a hit
 * on the other, one refresher across both; then Redis stops (cache misses, {@code rateLimit} per
 * {@code on-store-failure}: the first instance allows, the second denies; no request waits), and starts again
 * (both recover within seconds, and no command queued during the outage is counted after it).
 */
class RedisStoreTwoInstancesTest {

	/**
	 * The store timeout: far longer than the default (250ms), so that two instances, the test and other builds
	 * sharing two cores never make a working Redis look like a failing one (RedisStoresTest checks the default
	 * against a Redis that never answers).
	 */
	private static final Duration STORE_TIMEOUT = Duration.ofSeconds(5);

	/** The store timeout and a margin: a request that waited for Redis would take Lettuce's command timeout (a minute). */
	private static final Duration BOUND = STORE_TIMEOUT.plusSeconds(1);

	private static final TestClock clock = new TestClock();

	private static final Map<String, AtomicInteger> upstreamHits = new ConcurrentHashMap<>();

	private static DisposableServer upstream;

	private static ConfigurableApplicationContext allowing;

	private static ConfigurableApplicationContext denying;

	private static WebClient first;

	private static WebClient second;

	@BeforeAll
	static void start() {
		upstream = HttpServer.create().host("127.0.0.1").port(0)
			.route((routes) -> routes.get("/hits/{run}", (request, response) -> {
				int hits = upstreamHits.computeIfAbsent(request.param("run"), (run) -> new AtomicInteger())
					.incrementAndGet();
				return response.header("Content-Type", "application/json").sendString(Mono.just("{\"hits\":" + hits + "}"));
			}).get("/slow/{run}", (request, response) -> {
				int hits = upstreamHits.computeIfAbsent(request.param("run"), (run) -> new AtomicInteger())
					.incrementAndGet();
				return response.header("Content-Type", "application/json")
					.sendString(Mono.delay(Duration.ofMillis(2500)).thenReturn("{\"hits\":" + hits + "}"));
			}))
			.bindNow();
		allowing = start("allow");
		denying = start("deny");
		first = client(allowing);
		second = client(denying);
	}

	@AfterAll
	static void stop() {
		TestRedis.start();
		allowing.close();
		denying.close();
		upstream.disposeNow();
	}

	@Test
	void theStoresAreTheRedisOnesAndLettuceRefusesCommandsWhileDisconnected() {
		for (ConfigurableApplicationContext context : List.of(allowing, denying)) {
			assertThat(context.getBean(CacheStore.class)).isInstanceOf(RedisCacheStore.class);
			assertThat(context.getBean(RateLimitStore.class)).isInstanceOf(RedisRateLimitStore.class);
			LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
			assertThat(factory.getClientConfiguration().getClientOptions()).get()
				.extracting(ClientOptions::getDisconnectedBehavior)
				.isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
			assertThat(factory.getClientConfiguration().getClientResources()).get()
				.satisfies((resources) -> assertThat(resources.reconnectDelay().createDelay(8))
					.isEqualTo(Duration.ofSeconds(1)));
		}
	}

	@Test
	void aLimitOfFiveAllowsExactlyFiveOfTwentyRequestsSpreadOverBothInstances() {
		String run = UUID.randomUUID().toString();
		List<Integer> statuses = Flux.range(0, 20)
			.flatMap((i) -> status(((i % 2) == 0) ? first : second, "/shared/limited?run=" + run), 20)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(statuses).filteredOn((status) -> status == 200).hasSize(5);
		assertThat(statuses).filteredOn((status) -> status == 429).hasSize(15);
		// one counter key, expiring with its window
		ReactiveStringRedisTemplate redis = redis();
		assertThat(redis.opsForValue().get("webpipe:rl:shared:shared-" + run).block()).isEqualTo("5");
		assertThat(redis.getExpire("webpipe:rl:shared:shared-" + run).block()).isBetween(Duration.ofSeconds(1),
				Duration.ofSeconds(60));
	}

	@Test
	void anEntryCachedByOneInstanceIsAHitOnTheOther() {
		String run = UUID.randomUUID().toString();
		String uri = cachedUri(run, "hits");
		assertThat(body(first, uri)).isEqualTo("{\"hits\":1}");
		// written before the response was sent: the very next request, on the other instance, is a hit
		assertThat(body(second, uri)).isEqualTo("{\"hits\":1}");
		assertThat(body(first, uri)).isEqualTo("{\"hits\":1}");
		assertThat(upstreamHits.get(run)).hasValue(1);
		assertThat(redis().getExpire("webpipe:cache:shared-" + run).block()).isBetween(Duration.ofSeconds(20),
				Duration.ofSeconds(40));
	}

	@Test
	void aStaleEntryIsRefreshedByExactlyOneOfManyConcurrentRequestsAcrossBothInstances() {
		String run = UUID.randomUUID().toString();
		String uri = cachedUri(run, "slow");
		assertThat(body(second, uri)).isEqualTo("{\"hits\":1}");
		clock.advance(Duration.ofSeconds(11));
		List<String> bodies = Flux.range(0, 10)
			.flatMap((i) -> bodyMono(((i % 2) == 0) ? first : second, uri), 10)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(bodies).hasSize(10);
		assertThat(bodies).filteredOn("{\"hits\":2}"::equals).hasSize(1);
		assertThat(bodies).filteredOn("{\"hits\":1}"::equals).hasSize(9);
		assertThat(upstreamHits.get(run)).hasValue(2);
		// the refresher stored its result and released the slot
		assertThat(body(first, uri)).isEqualTo("{\"hits\":2}");
		assertThat(redis().hasKey("webpipe:cache-refresh:shared-" + run).block()).isFalse();
	}

	@Test
	void whenRedisStopsNoRequestWaitsAndWhenItStartsAgainBothInstancesRecover() {
		String run = UUID.randomUUID().toString();
		String cached = cachedUri(run, "hits");
		assertThat(body(first, cached)).isEqualTo("{\"hits\":1}");
		String counted = "/shared/limited?run=outage-" + run;
		long failuresBefore = failures(allowing) + failures(denying);
		TestRedis.stop();
		try {
			for (int i = 0; i < 3; i++) {
				for (WebClient client : List.of(first, second)) {
					long start = System.nanoTime();
					// a miss that stores nothing: the upstream is called every time
					assertThat(body(client, cached)).isEqualTo("{\"hits\":" + (2 + (2 * i) + ((client == first) ? 0 : 1)) + "}");
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
				}
				long start = System.nanoTime();
				assertThat(body(first, counted)).isEqualTo("{\"remaining\":5}");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
				start = System.nanoTime();
				assertThat(status(second, counted).block()).isEqualTo(429);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
			}
			assertThat(failures(allowing)).isGreaterThan(0);
			assertThat(failures(denying)).isGreaterThan(0);
			assertThat(failures(allowing) + failures(denying)).isEqualTo(failuresBefore + 12);
			assertThat(allowing.getBean(MeterRegistry.class).get("webpipe.store.failures").functionCounter().count())
				.isEqualTo(failures(allowing));
		}
		finally {
			TestRedis.start();
		}
		long restarted = System.nanoTime();
		await().atMost(TestRedis.RECOVERY).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
			String probe = "/shared/limited?run=probe-" + UUID.randomUUID();
			assertThat(body(first, probe)).isEqualTo("{\"remaining\":4}");
			assertThat(body(second, probe)).isEqualTo("{\"remaining\":3}");
		});
		assertThat(Duration.ofNanos(System.nanoTime() - restarted)).isLessThan(Duration.ofSeconds(10));
		// nothing sent during the outage ran after it: the window of the key counted then starts at 1
		assertThat(body(second, counted)).isEqualTo("{\"remaining\":4}");
		// the cache works again across both instances
		String upstreamBefore = body(first, cached);
		assertThat(body(second, cached)).isEqualTo(upstreamBefore);
	}

	private static ConfigurableApplicationContext start(String onStoreFailure) {
		return new SpringApplicationBuilder(Application.class)
			.initializers((context) -> ((GenericApplicationContext) context).registerBean(TestClock.class, () -> clock))
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.web-application-type=reactive",
					"spring.main.banner-mode=off", "webpipe.routes-location=classpath:/redis-routes/",
					"webpipe.store.type=redis", "webpipe.store.timeout=" + STORE_TIMEOUT.toMillis() + "ms",
					"spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + TestRedis.port(), "webpipe.rate-limit.on-store-failure=" + onStoreFailure)
			.run();
	}

	private static WebClient client(ConfigurableApplicationContext context) {
		return WebClient.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
	}

	private static String cachedUri(String run, String kind) {
		return "/shared/cached?run=" + run + "&upstream=http://127.0.0.1:" + upstream.port() + "/" + kind + "/" + run;
	}

	private static long failures(ConfigurableApplicationContext context) {
		return context.getBean(StoreFailures.class).count();
	}

	private static ReactiveStringRedisTemplate redis() {
		return new ReactiveStringRedisTemplate(allowing.getBean(ReactiveRedisConnectionFactory.class));
	}

	private static Mono<Integer> status(WebClient client, String uri) {
		return client.get().uri(uri).exchangeToMono((response) -> response.releaseBody()
			.thenReturn(response.statusCode().value()));
	}

	private static Mono<String> bodyMono(WebClient client, String uri) {
		return client.get().uri(uri).retrieve().bodyToMono(String.class);
	}

	private static String body(WebClient client, String uri) {
		return bodyMono(client, uri).block(Duration.ofSeconds(30));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

	}

}
