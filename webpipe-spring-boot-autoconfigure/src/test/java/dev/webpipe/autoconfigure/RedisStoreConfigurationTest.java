package dev.webpipe.autoconfigure;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.codec.ServerCodecConfigurer;

import dev.webpipe.middleware.store.StoreFailures;
import dev.webpipe.middleware.cache.CacheStore;
import dev.webpipe.middleware.cache.LocalCacheStore;
import dev.webpipe.middleware.cache.RedisCacheStore;
import dev.webpipe.middleware.ratelimit.LocalRateLimitStore;
import dev.webpipe.middleware.ratelimit.RateLimitStore;
import dev.webpipe.middleware.ratelimit.RedisRateLimitStore;
import dev.webpipe.testing.DocsExamples;
import dev.webpipe.testing.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code webpipe.store.type}: which stores, the Lettuce customizers, and the start-up failure without Redis. */
class RedisStoreConfigurationTest {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebPipeAutoConfiguration.class))
		.withBean(ServerCodecConfigurer.class, ServerCodecConfigurer::create)
		.withPropertyValues("webpipe.routes-location=classpath:/redis-routes/");

	private final ReactiveWebApplicationContextRunner withRedis = this.runner.withConfiguration(
			AutoConfigurations.of(DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class));

	@Test
	void theLocalStoresByDefaultAndNoRedisCustomizers() {
		this.withRedis.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(CacheStore.class)).isInstanceOf(LocalCacheStore.class);
			assertThat(context.getBean(RateLimitStore.class)).isInstanceOf(LocalRateLimitStore.class);
			assertThat(context).doesNotHaveBean("webPipeRejectCommandsWhileDisconnected")
				.doesNotHaveBean("webPipeRedisReconnectDelay");
		});
	}

	@Test
	void theRedisStoresWithStoreTypeRedis() {
		this.withRedis.withPropertyValues("webpipe.store.type=redis", "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + TestRedis.port())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(CacheStore.class)).isInstanceOf(RedisCacheStore.class);
				assertThat(context.getBean(RateLimitStore.class)).isInstanceOf(RedisRateLimitStore.class);
				assertThat(context).hasBean("webPipeRejectCommandsWhileDisconnected")
					.hasBean("webPipeRedisReconnectDelay");
			});
	}

	@Test
	void anApplicationStoreReplacesTheRedisOne() {
		LocalCacheStore own = new LocalCacheStore(java.time.InstantSource.system());
		this.withRedis.withPropertyValues("webpipe.store.type=REDIS").withBean(CacheStore.class, () -> own)
			.run((context) -> {
				assertThat(context.getBean(CacheStore.class)).isSameAs(own);
				assertThat(context.getBean(RateLimitStore.class)).isInstanceOf(RedisRateLimitStore.class);
			});
	}

	@Test
	void storeTypeRedisWithoutSpringDataRedisFailsToStartSayingWhatToAdd() throws Exception {
		this.runner.withPropertyValues("webpipe.store.type=redis")
			.withClassLoader(new FilteredClassLoader(ReactiveRedisConnectionFactory.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				RedisStoreUnavailableException cause = cause(context.getStartupFailure());
				assertThat(cause.onClassPath()).isFalse();
				FailureAnalysis analysis = new WebPipeFailureAnalyzers.RedisStoreUnavailableFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis-reactive");
				// docs/scaling.md#start-up shows this report
				String page = Files.readString(DocsExamples.DOCS.resolve("scaling.md"));
				assertThat(page).contains(analysis.getDescription()).contains(analysis.getAction());
			});
	}

	@Test
	void storeTypeRedisWithoutAConnectionFactoryFailsToStart() {
		this.runner.withPropertyValues("webpipe.store.type=redis").run((context) -> {
			assertThat(context).hasFailed();
			RedisStoreUnavailableException cause = cause(context.getStartupFailure());
			assertThat(cause.onClassPath()).isTrue();
			FailureAnalysis analysis = new WebPipeFailureAnalyzers.RedisStoreUnavailableFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("no ReactiveRedisConnectionFactory bean");
			assertThat(analysis.getAction()).contains("spring.data.redis.host").contains("webpipe.store.type=local");
		});
	}

	@Test
	void theOnStoreFailurePolicyNamesItselfInTheWarning() {
		this.runner.withPropertyValues("webpipe.rate-limit.on-store-failure=deny").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(StoreFailures.class);
		});
	}

	@Test
	void thePropertiesOfTheScalingPageSelectTheRedisStores() throws Exception {
		List<String> properties = new ArrayList<>();
		List<String> lines = Files.readAllLines(DocsExamples.DOCS.resolve("scaling.md"));
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).equals("```properties")) {
				for (i++; !lines.get(i).equals("```"); i++) {
					properties.add(lines.get(i));
				}
			}
		}
		assertThat(properties).contains("webpipe.store.type=redis");
		assertThat(properties).contains("spring.data.redis.host=redis.internal");
		// the example's properties, with this test's Redis for host and port (no connection leaves the machine)
		this.withRedis.withPropertyValues(properties.toArray(String[]::new))
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + TestRedis.port())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(CacheStore.class)).isInstanceOf(RedisCacheStore.class);
			});
	}

	private static RedisStoreUnavailableException cause(Throwable failure) {
		Throwable current = failure;
		while (current != null && !(current instanceof RedisStoreUnavailableException)) {
			current = current.getCause();
		}
		assertThat(current).as("cause RedisStoreUnavailableException").isNotNull();
		return (RedisStoreUnavailableException) current;
	}

}
