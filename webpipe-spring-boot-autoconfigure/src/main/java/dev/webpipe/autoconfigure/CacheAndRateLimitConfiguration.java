package dev.webpipe.autoconfigure;

import java.time.InstantSource;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.webpipe.middleware.cache.CacheMiddleware;
import dev.webpipe.middleware.cache.CacheStore;
import dev.webpipe.middleware.cache.LocalCacheStore;
import dev.webpipe.middleware.ratelimit.LocalRateLimitStore;
import dev.webpipe.middleware.ratelimit.RateLimitMiddleware;
import dev.webpipe.middleware.ratelimit.RateLimitStore;

/**
 * The {@code cache} and {@code rateLimit} middleware and their stores (docs/middleware/cache.md#stores): the
 * local stores unless the application (or a store configuration) defines a {@link CacheStore} or a
 * {@link RateLimitStore}. Time comes from the application's single {@link InstantSource} bean (a
 * {@link java.time.Clock} is one) when it has one, else the system clock.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class CacheAndRateLimitConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CacheStore webPipeCacheStore(ObjectProvider<InstantSource> clock) {
		return new LocalCacheStore(clock.getIfUnique(InstantSource::system));
	}

	@Bean
	@ConditionalOnMissingBean
	RateLimitStore webPipeRateLimitStore(ObjectProvider<InstantSource> clock) {
		return new LocalRateLimitStore(clock.getIfUnique(InstantSource::system));
	}

	@Bean
	WebPipeBuiltins webPipeCacheAndRateLimitBuiltins(CacheStore webPipeCacheStore,
			RateLimitStore webPipeRateLimitStore, ObjectProvider<InstantSource> clock) {
		return new WebPipeBuiltins(List.of(new CacheMiddleware(webPipeCacheStore, clock.getIfUnique(InstantSource::system)),
				new RateLimitMiddleware(webPipeRateLimitStore)));
	}

}
