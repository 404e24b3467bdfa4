package dev.webpipe.middleware.cache;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.store.RedisCalls;
import dev.webpipe.middleware.Json;

/**
 * The cache store shared by every instance of an application (docs/scaling.md#redis-keys): one Redis key
 * {@code webpipe:cache:<key>} per entry, holding the state, status, content type and the fresh and stale
 * deadlines as JSON and expiring at the end of the stale period; the refresher slot is a
 * {@code SET NX PX} key {@code webpipe:cache-refresh:<key>}. Every call is bounded by {@code timeout}; a failed
 * or timed-out call completes with an error, which the middleware turns into a miss that stores nothing.
 * Entries are bounded by Redis's own {@code maxmemory}, not by {@code maxCacheSize}.
 */
public final class RedisCacheStore implements CacheStore {

	/** The prefix of an entry's key. */
	static final String ENTRY_PREFIX = "webpipe:cache:";

	/** The prefix of a refresher slot's key. */
	static final String REFRESH_PREFIX = "webpipe:cache-refresh:";

	private final ReactiveStringRedisTemplate redis;

	private final InstantSource clock;

	private final RedisCalls calls;

	/**
	 * @param connections the application's Redis
	 * @param clock the time the entries' deadlines are written in
	 * @param timeout the bound of every Redis call ({@code webpipe.store.timeout})
	 */
	public RedisCacheStore(ReactiveRedisConnectionFactory connections, InstantSource clock, Duration timeout) {
		this.redis = new ReactiveStringRedisTemplate(connections);
		this.clock = clock;
		this.calls = new RedisCalls(timeout);
	}

	@Override
	public Mono<CacheEntry> get(String key) {
		return bounded(this.redis.opsForValue().get(ENTRY_PREFIX + key)).mapNotNull(RedisCacheStore::read);
	}

	@Override
	public Mono<Void> put(String key, CacheEntry entry) {
		long ttl = Duration.between(this.clock.instant(), entry.staleUntil()).toMillis();
		if (ttl <= 0) {
			return Mono.empty();
		}
		ObjectNode value = Json.NODES.objectNode();
		value.set("state", entry.state());
		if (entry.status() != null) {
			value.put("status", entry.status());
		}
		if (entry.contentType() != null) {
			value.put("contentType", entry.contentType());
		}
		value.put("freshUntil", entry.freshUntil().toEpochMilli());
		value.put("staleUntil", entry.staleUntil().toEpochMilli());
		value.put("size", entry.size());
		return bounded(this.redis.opsForValue().set(ENTRY_PREFIX + key, Json.write(value), Duration.ofMillis(ttl)))
			.then();
	}

	@Override
	public Mono<Boolean> tryRefresh(String key, Duration hold) {
		return bounded(this.redis.opsForValue().setIfAbsent(REFRESH_PREFIX + key, this.clock.instant().toString(), hold));
	}

	@Override
	public Mono<Void> releaseRefresh(String key) {
		return bounded(this.redis.delete(REFRESH_PREFIX + key)).then();
	}

	private <T> Mono<T> bounded(Mono<T> call) {
		return this.calls.bounded(call);
	}

	/** The entry of a stored value, or {@code null} when the value is not one this store wrote. */
	static @Nullable CacheEntry read(String text) {
		JsonNode value;
		try {
			value = Json.parse(text);
		}
		catch (RuntimeException ex) {
			return null;
		}
		JsonNode state = value.get("state");
		JsonNode fresh = value.get("freshUntil");
		JsonNode stale = value.get("staleUntil");
		if (state == null || fresh == null || !fresh.canConvertToLong() || stale == null || !stale.canConvertToLong()) {
			return null;
		}
		JsonNode status = value.get("status");
		JsonNode contentType = value.get("contentType");
		return new CacheEntry(state, (status != null && status.isInt()) ? status.intValue() : null,
				(contentType != null && contentType.isTextual()) ? contentType.textValue() : null,
				Instant.ofEpochMilli(fresh.longValue()), Instant.ofEpochMilli(stale.longValue()),
				value.path("size").asInt(text.length()));
	}

}
