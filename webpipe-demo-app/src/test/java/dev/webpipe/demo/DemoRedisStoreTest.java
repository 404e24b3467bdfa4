package dev.webpipe.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import redis.embedded.RedisServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

import dev.webpipe.middleware.cache.CacheStore;
import dev.webpipe.middleware.cache.RedisCacheStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two demo instances started as {@code java -jar webpipe-demo-app.jar --webpipe.store.type=redis
 * --spring.data.redis.host=… --spring.data.redis.port=…} would be, sharing one real Redis: together they allow
 * the five requests a minute of {@code /limited}, and their health includes Redis.
 */
class DemoRedisStoreTest {

	private static RedisServer redis;

	private static int redisPort;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	@BeforeAll
	static void start() throws IOException {
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			redisPort = probe.getLocalPort();
		}
		redis = RedisServer.newRedisServer().bind("127.0.0.1").port(redisPort).setting("save \"\"")
			.soutListener((line) -> {
			}).build();
		redis.start();
		first = instance();
		second = instance();
	}

	@AfterAll
	static void stop() throws IOException {
		first.close();
		second.close();
		redis.stop();
	}

	@Test
	void twoInstancesEnforceOneRateLimitTogether() {
		assertThat(first.getBean(CacheStore.class)).isInstanceOf(RedisCacheStore.class);
		// docs/demo.md: six requests, alternating between the two instances
		List<Integer> statuses = Flux.range(0, 6)
			.concatMap((i) -> status(client(((i % 2) == 0) ? first : second), "/limited"))
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429);
	}

	@Test
	void aStatsPageCachedByOneInstanceIsServedByTheOther() {
		String cached = client(first).get().uri("/cached/stats?from=redis-test").retrieve().bodyToMono(String.class)
			.block(Duration.ofSeconds(30));
		assertThat(client(second).get().uri("/cached/stats?from=redis-test").retrieve().bodyToMono(String.class)
			.block(Duration.ofSeconds(30))).isEqualTo(cached);
	}

	@Test
	void theHealthIncludesRedisWhenTheStoreIsRedis() {
		String health = client(second).get().uri("/actuator/health").retrieve().bodyToMono(String.class)
			.block(Duration.ofSeconds(30));
		assertThat(health).contains("\"status\":\"UP\"");
		assertThat(second.getBeanNamesForType(org.springframework.boot.data.redis.health.DataRedisReactiveHealthIndicator.class))
			.isNotEmpty();
	}

	private static ConfigurableApplicationContext instance() {
		return new SpringApplicationBuilder(DemoApplication.class).run("--server.port=0", "--server.address=127.0.0.1",
				"--webpipe.store.type=redis", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redisPort, "--webpipe.store.timeout=5s");
	}

	private static WebClient client(ConfigurableApplicationContext context) {
		return WebClient.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
	}

	private static Mono<Integer> status(WebClient client, String uri) {
		return client.get().uri(uri).exchangeToMono((response) -> response.releaseBody()
			.thenReturn(response.statusCode().value()));
	}

}
