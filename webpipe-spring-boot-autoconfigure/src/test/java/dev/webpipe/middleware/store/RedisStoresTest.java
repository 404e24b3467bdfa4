package dev.webpipe.middleware.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.cache.CacheEntry;
import dev.webpipe.middleware.cache.CacheMiddleware;
import dev.webpipe.middleware.cache.RedisCacheStore;
import dev.webpipe.middleware.ratelimit.RateLimitMiddleware;
import dev.webpipe.middleware.ratelimit.RateLimitStore;
import dev.webpipe.middleware.ratelimit.RedisRateLimitStore;
import dev.webpipe.testing.Programs;
import dev.webpipe.testing.TestClock;
import dev.webpipe.testing.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Redis stores against a real Redis (docs/scaling.md#redis-keys): the key layout, the counting script, the
 * entries and refresher slots; and against a Redis that accepts connections but never answers, every call
 * bounded by the store timeout, with {@code cache} running as a miss and {@code rateLimit} per its policy.
 */
class RedisStoresTest {

	private static final Duration TIMEOUT = Duration.ofMillis(250);

	/** Generous: the bound is the timeout, the rest is a loaded build machine. */
	private static final Duration BOUND = TIMEOUT.plusMillis(1750);

	private static LettuceConnectionFactory redis;

	private static ReactiveStringRedisTemplate template;

	private static ServerSocket silent;

	private static final List<Socket> silentClients = new CopyOnWriteArrayList<>();

	private static LettuceConnectionFactory silentRedis;

	private final TestClock clock = new TestClock();

	@BeforeAll
	static void connect() throws IOException {
		redis = factory(TestRedis.port(), Duration.ofSeconds(30));
		template = new ReactiveStringRedisTemplate(redis);
		// the shared connection opens on the first call: not inside a test's timeout
		template.hasKey("warm-up").block(Duration.ofSeconds(30));
		silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(() -> {
			while (!silent.isClosed()) {
				try {
					silentClients.add(silent.accept());
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "silent-redis");
		acceptor.setDaemon(true);
		acceptor.start();
		silentRedis = factory(silent.getLocalPort(), Duration.ofSeconds(5));
	}

	@AfterAll
	static void disconnect() throws IOException {
		redis.destroy();
		silentRedis.destroy();
		silent.close();
		for (Socket socket : silentClients) {
			socket.close();
		}
	}

	@Test
	void theScriptCountsAFixedWindowUnderOneKeyPerScopeAndKey() {
		RedisRateLimitStore store = new RedisRateLimitStore(redis, TIMEOUT);
		String key = "count-" + System.nanoTime();
		for (int i = 1; i <= 3; i++) {
			RateLimitStore.Window window = store.hit("api", key, 3, Duration.ofSeconds(60)).block();
			assertThat(window.allowed()).isTrue();
			assertThat(window.count()).isEqualTo(i);
			assertThat(window.remaining()).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(60));
		}
		RateLimitStore.Window refused = store.hit("api", key, 3, Duration.ofSeconds(60)).block();
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.count()).isEqualTo(3);
		// refused requests are not counted; the counter expires with its window
		assertThat(template.opsForValue().get("webpipe:rl:api:" + key).block()).isEqualTo("3");
		assertThat(template.getExpire("webpipe:rl:api:" + key).block()).isBetween(Duration.ofSeconds(50),
				Duration.ofSeconds(60));
		// another scope, and no scope, count separately
		assertThat(store.hit("other", key, 3, Duration.ofSeconds(60)).block().count()).isEqualTo(1);
		assertThat(store.hit(null, key, 3, Duration.ofSeconds(60)).block().count()).isEqualTo(1);
		assertThat(template.hasKey("webpipe:rl::" + key).block()).isTrue();
		// the window ended (its key expired): a new one opens with count 1
		template.delete("webpipe:rl:api:" + key).block();
		assertThat(store.hit("api", key, 3, Duration.ofSeconds(60)).block().count()).isEqualTo(1);
	}

	@Test
	void aColonInAScopeCannotMakeTheKeyOfAnotherScope() {
		RedisRateLimitStore store = new RedisRateLimitStore(redis, TIMEOUT);
		String key = "colon-" + System.nanoTime();
		assertThat(store.hit("a:b", key, 1, Duration.ofSeconds(60)).block().allowed()).isTrue();
		assertThat(store.hit("a", "b:" + key, 1, Duration.ofSeconds(60)).block().allowed()).isTrue();
		assertThat(template.hasKey("webpipe:rl:a%3Ab:" + key).block()).isTrue();
	}

	@Test
	void aLimitOfZeroAllowsTheRequestThatOpensTheWindowAsTheLocalStoreDoes() {
		RedisRateLimitStore store = new RedisRateLimitStore(redis, TIMEOUT);
		String key = "zero-" + System.nanoTime();
		assertThat(store.hit(null, key, 0, Duration.ofSeconds(60)).block().allowed()).isTrue();
		assertThat(store.hit(null, key, 0, Duration.ofSeconds(60)).block().allowed()).isFalse();
	}

	@Test
	void anEntryIsOneKeyThatExpiresAtTheEndOfItsStalePeriod() {
		RedisCacheStore store = new RedisCacheStore(redis, this.clock, TIMEOUT);
		String key = "entry-" + System.nanoTime();
		ObjectNode state = Json.NODES.objectNode().put("price", new java.math.BigDecimal("12.50")).put("name", "tea");
		Instant now = this.clock.instant();
		store.put(key, new CacheEntry(state, 201, "text/plain", now.plusSeconds(10), now.plusSeconds(40), 27)).block();
		CacheEntry read = store.get(key).block();
		assertThat(Json.write(read.state())).isEqualTo("{\"price\":12.50,\"name\":\"tea\"}");
		assertThat(read.status()).isEqualTo(201);
		assertThat(read.contentType()).isEqualTo("text/plain");
		assertThat(read.freshUntil()).isEqualTo(now.plusSeconds(10));
		assertThat(read.staleUntil()).isEqualTo(now.plusSeconds(40));
		assertThat(template.getExpire("webpipe:cache:" + key).block()).isBetween(Duration.ofSeconds(30),
				Duration.ofSeconds(40));
		assertThat(store.get("absent-" + key).block()).isNull();
		// a value this store did not write is a miss
		template.opsForValue().set("webpipe:cache:" + key, "not json").block();
		assertThat(store.get(key).block()).isNull();
	}

	@Test
	void theRefresherSlotIsTakenOnceUntilReleasedOrExpired() {
		RedisCacheStore store = new RedisCacheStore(redis, this.clock, TIMEOUT);
		String key = "slot-" + System.nanoTime();
		assertThat(store.tryRefresh(key, Duration.ofSeconds(30)).block()).isTrue();
		assertThat(store.tryRefresh(key, Duration.ofSeconds(30)).block()).isFalse();
		assertThat(template.getExpire("webpipe:cache-refresh:" + key).block()).isBetween(Duration.ofSeconds(20),
				Duration.ofSeconds(30));
		store.releaseRefresh(key).block();
		assertThat(store.tryRefresh(key, Duration.ofSeconds(30)).block()).isTrue();
	}

	@Test
	void aRedisThatNeverAnswersFailsEveryCallWithinTheTimeout() {
		RedisCacheStore cache = new RedisCacheStore(silentRedis, this.clock, TIMEOUT);
		RedisRateLimitStore limits = new RedisRateLimitStore(silentRedis, TIMEOUT);
		long start = System.nanoTime();
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> cache.get("k").block())
			.withCauseInstanceOf(TimeoutException.class);
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> limits.hit(null, "k", 1, Duration.ofSeconds(60)).block())
			.withCauseInstanceOf(TimeoutException.class);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND.multipliedBy(2));
	}

	@Test
	void withARedisThatNeverAnswersCacheRunsAsAMissAndRateLimitFollowsItsPolicy() {
		StoreFailures failures = new StoreFailures(true);
		RedisCacheStore cache = new RedisCacheStore(silentRedis, this.clock, TIMEOUT);
		RedisRateLimitStore limits = new RedisRateLimitStore(silentRedis, TIMEOUT);
		String routes = """
				GET /cached
				  |> cache: `ttl: 60, keyTemplate: silent`
				  |> jq: `{ computed: true }`

				GET /limited
				  |> rateLimit: `keyTemplate: silent, limit: 5, window: 1m`
				  |> jq: `{ allowed: true }`

				GET /warm
				  |> jq: `{ warm: true }`
				""";
		WebTestClient denying = Programs.client(Programs.compile("app.wp", routes,
				List.of(new CacheMiddleware(cache, this.clock, failures), new RateLimitMiddleware(limits, failures, true))))
			.mutate().responseTimeout(Duration.ofSeconds(30)).build();
		WebTestClient allowing = Programs.client(Programs.compile("app.wp", routes,
				List.of(new CacheMiddleware(cache, this.clock, failures), new RateLimitMiddleware(limits, failures, false))))
			.mutate().responseTimeout(Duration.ofSeconds(30)).build();
		// class loading and the first exchange of each client are not what is measured
		denying.get().uri("/warm").exchange().expectStatus().isOk();
		allowing.get().uri("/warm").exchange().expectStatus().isOk();

		long start = System.nanoTime();
		assertThat(body(denying.get().uri("/cached").exchange().expectStatus().isOk().expectBody().returnResult()))
			.isEqualTo("{\"computed\":true}");
		// a miss after a failed lookup stores nothing: no second call waits for the write
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);

		start = System.nanoTime();
		denying.get().uri("/limited").exchange().expectStatus().isEqualTo(429).expectHeader()
			.valueEquals("Retry-After", "60").expectBody()
			.jsonPath("$.errors[0].type").isEqualTo("rateLimitExceeded")
			.jsonPath("$.errors[0].message").isEqualTo("Rate limit exceeded for key 'silent': requests cannot be "
					+ "counted now. Retry after 60s");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);

		start = System.nanoTime();
		allowing.get().uri("/limited").exchange().expectStatus().isOk().expectBody()
			.json("{\"allowed\":true}", true);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
		assertThat(failures.count()).isEqualTo(3);
	}

	private static String body(EntityExchangeResult<byte[]> result) {
		return new String(result.getResponseBodyContent(), StandardCharsets.UTF_8);
	}

	private static LettuceConnectionFactory factory(int port, Duration commandTimeout) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port),
				LettuceClientConfiguration.builder().commandTimeout(commandTimeout).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
