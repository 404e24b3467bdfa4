package dev.webpipe.autoconfigure;

import java.time.InstantSource;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.webpipe.middleware.store.StoreFailures;
import dev.webpipe.middleware.cache.CacheMiddleware;
import dev.webpipe.middleware.cache.CacheStore;
import dev.webpipe.middleware.cache.LocalCacheStore;
import dev.webpipe.middleware.ratelimit.LocalRateLimitStore;
import dev.webpipe.middleware.ratelimit.RateLimitMiddleware;
import dev.webpipe.middleware.ratelimit.RateLimitStore;

/**
 * The {@code cache} and {@code rateLimit} middleware and their stores (docs/scaling.md): with
 * {@code webpipe.store.type=local} (the default) the local stores, with {@code redis} the Redis stores
 * ({@link RedisStoreConfiguration}), unless the application defines a {@link CacheStore} or a
 * {@link RateLimitStore}. Time comes from the application's single {@link InstantSource} bean (a
 * {@link java.time.Clock} is one) when it has one, else the system clock.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@Import({ RedisStoreConfiguration.class, CacheAndRateLimitConfiguration.Metrics.class })
class CacheAndRateLimitConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "webpipe.store.type", havingValue = "local", matchIfMissing = true)
	CacheStore webPipeCacheStore(ObjectProvider<InstantSource> clock) {
		return new LocalCacheStore(clock.getIfUnique(InstantSource::system));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "webpipe.store.type", havingValue = "local", matchIfMissing = true)
	RateLimitStore webPipeRateLimitStore(ObjectProvider<InstantSource> clock) {
		return new LocalRateLimitStore(clock.getIfUnique(InstantSource::system));
	}

	@Bean
	@ConditionalOnMissingBean
	StoreFailures webPipeStoreFailures(WebPipeProperties properties) {
		return new StoreFailures(properties.getRateLimit().getOnStoreFailure() == WebPipeProperties.OnStoreFailure.DENY);
	}

	@Bean
	WebPipeBuiltins webPipeCacheAndRateLimitBuiltins(CacheStore webPipeCacheStore,
			RateLimitStore webPipeRateLimitStore, StoreFailures webPipeStoreFailures, WebPipeProperties properties,
			ObjectProvider<InstantSource> clock) {
		boolean deny = properties.getRateLimit().getOnStoreFailure() == WebPipeProperties.OnStoreFailure.DENY;
		return new WebPipeBuiltins(List.of(
				new CacheMiddleware(webPipeCacheStore, clock.getIfUnique(InstantSource::system), webPipeStoreFailures),
				new RateLimitMiddleware(webPipeRateLimitStore, webPipeStoreFailures, deny)));
	}

	/** The counter {@code webpipe.store.failures}, when the application has Micrometer. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class Metrics {

		@Bean
		io.micrometer.core.instrument.binder.MeterBinder webPipeStoreFailuresMetrics(StoreFailures webPipeStoreFailures) {
			return (registry) -> io.micrometer.core.instrument.FunctionCounter
				.builder("webpipe.store.failures", webPipeStoreFailures, StoreFailures::count)
				.description("Calls of cache and rateLimit steps to their store that failed or timed out")
				.register(registry);
		}

	}

}
