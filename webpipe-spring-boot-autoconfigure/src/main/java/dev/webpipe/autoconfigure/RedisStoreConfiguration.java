package dev.webpipe.autoconfigure;

import java.time.InstantSource;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.scheduler.Schedulers;

import dev.webpipe.middleware.store.StoreFailures;
import dev.webpipe.middleware.cache.CacheStore;
import dev.webpipe.middleware.cache.RedisCacheStore;
import dev.webpipe.middleware.ratelimit.RateLimitStore;
import dev.webpipe.middleware.ratelimit.RedisRateLimitStore;

/**
 * {@code webpipe.store.type=redis} (docs/scaling.md): cache entries and rate-limit windows in the application's
 * Redis, through its {@link ReactiveRedisConnectionFactory} (Boot's {@code spring.data.redis.*}). Without Spring
 * Data Redis, or without that bean, start-up fails with {@link RedisStoreUnavailableException}. With Lettuce, the
 * client refuses commands while it is disconnected (instead of queueing them to run after a reconnect) and
 * reconnects every {@code webpipe.store.reconnect-delay} (docs/scaling.md#when-redis-goes-away).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "webpipe.store.type", havingValue = "redis")
class RedisStoreConfiguration {

	static final String FACTORY = "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = FACTORY)
	static class Stores {

		@Bean
		@ConditionalOnMissingBean
		CacheStore webPipeCacheStore(ObjectProvider<ReactiveRedisConnectionFactory> connections,
				WebPipeProperties properties, ObjectProvider<InstantSource> clock) {
			return new RedisCacheStore(require(connections), clock.getIfUnique(InstantSource::system),
					properties.getStore().getTimeout());
		}

		@Bean
		@ConditionalOnMissingBean
		RateLimitStore webPipeRateLimitStore(ObjectProvider<ReactiveRedisConnectionFactory> connections,
				WebPipeProperties properties) {
			return new RedisRateLimitStore(require(connections), properties.getStore().getTimeout());
		}

		/**
		 * Opens the shared Redis connection in the background once the application has started, so that the
		 * first requests do not wait for it; a Redis that does not answer then is logged as a store failure.
		 */
		@Bean
		SmartInitializingSingleton webPipeRedisConnect(ObjectProvider<ReactiveRedisConnectionFactory> connections,
				StoreFailures webPipeStoreFailures) {
			return () -> {
				ReactiveRedisConnectionFactory factory = connections.getIfUnique();
				if (factory == null) {
					return;
				}
				new ReactiveStringRedisTemplate(factory).execute((connection) -> connection.ping())
					.next()
					.subscribeOn(Schedulers.boundedElastic())
					.subscribe((pong) -> {
					}, (ex) -> webPipeStoreFailures.record("connect", ex));
			};
		}

		private static ReactiveRedisConnectionFactory require(ObjectProvider<ReactiveRedisConnectionFactory> connections) {
			ReactiveRedisConnectionFactory factory = connections.getIfUnique();
			if (factory == null) {
				throw new RedisStoreUnavailableException(true);
			}
			return factory;
		}

	}

	/** Lettuce (Boot's default Redis client): no queued commands while disconnected, a short reconnect delay. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.lettuce.core.ClientOptions",
			"org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer" })
	static class Lettuce {

		@Bean
		LettuceClientOptionsBuilderCustomizer webPipeRejectCommandsWhileDisconnected() {
			return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
		}

		@Bean
		ClientResourcesBuilderCustomizer webPipeRedisReconnectDelay(WebPipeProperties properties) {
			return (resources) -> resources.reconnectDelay(Delay.constant(properties.getStore().getReconnectDelay()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass(FACTORY)
	static class Missing {

		@Bean
		@ConditionalOnMissingBean
		CacheStore webPipeCacheStore() {
			throw new RedisStoreUnavailableException(false);
		}

		@Bean
		@ConditionalOnMissingBean
		RateLimitStore webPipeRateLimitStore() {
			throw new RedisStoreUnavailableException(false);
		}

	}

}
