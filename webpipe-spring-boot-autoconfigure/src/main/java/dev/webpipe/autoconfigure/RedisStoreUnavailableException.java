package dev.webpipe.autoconfigure;

/**
 * {@code webpipe.store.type=redis}, but the application has no reactive Redis connection factory
 * (docs/scaling.md#start-up): Spring Data Redis is not on the class path, or no
 * {@code ReactiveRedisConnectionFactory} bean exists.
 */
class RedisStoreUnavailableException extends IllegalStateException {

	private final boolean onClassPath;

	/** @param onClassPath whether Spring Data Redis is on the class path (then the bean is what is missing) */
	public RedisStoreUnavailableException(boolean onClassPath) {
		super(onClassPath ? "webpipe.store.type=redis, but the application has no ReactiveRedisConnectionFactory bean"
				: "webpipe.store.type=redis, but Spring Data Redis is not on the class path");
		this.onClassPath = onClassPath;
	}

	/** Whether Spring Data Redis is on the class path (then the connection factory bean is what is missing). */
	public boolean onClassPath() {
		return this.onClassPath;
	}

}
