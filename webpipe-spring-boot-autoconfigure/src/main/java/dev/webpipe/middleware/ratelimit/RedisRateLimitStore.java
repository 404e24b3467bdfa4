package dev.webpipe.middleware.ratelimit;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.store.RedisCalls;

/**
 * The rate-limit store shared by every instance of an application (docs/scaling.md#redis-keys): one counter key
 * {@code webpipe:rl:<scope>:<key>} per window, counted and expired by one Lua script per request
 * ({@code EVALSHA}, falling back to {@code EVAL} once when Redis does not know the script yet), so N instances
 * allow exactly {@code limit} requests per window together. The script answers whether the request is allowed,
 * the count and the milliseconds left in the window; it needs Redis 2.6 or later (no {@code PEXPIRE … NX}).
 * Every call is bounded by {@code timeout}; a failed or timed-out call completes with an error, which the
 * middleware handles per {@code webpipe.rate-limit.on-store-failure}.
 */
public final class RedisRateLimitStore implements RateLimitStore {

	/** The prefix of a window's key. */
	static final String PREFIX = "webpipe:rl:";

	/**
	 * KEYS[1] the window's key, ARGV[1] the effective limit, ARGV[2] the window in milliseconds. Without a
	 * window (none, or it expired) a new one opens with count 1 and the request is allowed; inside it, the
	 * request is allowed while the count is below the limit, and then counted (INCR keeps the expiry).
	 */
	static final String SCRIPT = """
			local limit = tonumber(ARGV[1])
			local window = tonumber(ARGV[2])
			local count = tonumber(redis.call('GET', KEYS[1]))
			if count == nil then
			  redis.call('SET', KEYS[1], 1, 'PX', window)
			  return {1, 1, window}
			end
			local left = redis.call('PTTL', KEYS[1])
			if left < 0 then
			  redis.call('PEXPIRE', KEYS[1], window)
			  left = window
			end
			if count < limit then
			  return {1, redis.call('INCR', KEYS[1]), left}
			end
			return {0, count, left}
			""";

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static final RedisScript<List<Long>> HIT = (RedisScript) RedisScript.of(SCRIPT, List.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisCalls calls;

	/**
	 * @param connections the application's Redis
	 * @param timeout the bound of every Redis call ({@code webpipe.store.timeout})
	 */
	public RedisRateLimitStore(ReactiveRedisConnectionFactory connections, Duration timeout) {
		this.redis = new ReactiveStringRedisTemplate(connections);
		this.calls = new RedisCalls(timeout);
	}

	@Override
	public Mono<Window> hit(@Nullable String scope, String key, long limit, Duration window) {
		return this.calls.bounded(this.redis.execute(HIT, List.of(key(scope, key)), List.of(Long.toString(limit),
				Long.toString(window.toMillis())))
			.next())
			.map((answer) -> new Window(answer.get(0) == 1L, answer.get(1), Duration.ofMillis(answer.get(2))));
	}

	/**
	 * {@code webpipe:rl:<scope>:<key>}, the scope empty when there is none; {@code %} and {@code :} of the scope
	 * are written {@code %25} and {@code %3A}, so that no scope and key make the key of another pair.
	 */
	static String key(@Nullable String scope, String key) {
		String safe = (scope == null) ? "" : scope.replace("%", "%25").replace(":", "%3A");
		return PREFIX + safe + ":" + key;
	}

}
