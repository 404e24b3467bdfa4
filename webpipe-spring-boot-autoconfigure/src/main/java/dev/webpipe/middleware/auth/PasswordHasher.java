package dev.webpipe.middleware.auth;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Argon2id hashing and verification for {@code auth} steps (docs/middleware/auth.md#passwords).
 * One hash costs about 16 MiB and tens of milliseconds of CPU, so it never runs on an event loop:
 * at most {@code maxConcurrent} run at once on threads of their own, at most {@code maxQueued}
 * more wait, and a request beyond that fails at once with {@link TooManyHashesException}.
 * <p>
 * An unknown login is verified against a dummy hash, so that it costs what a known one costs and
 * the answer's timing does not tell whether the login exists.
 */
public final class PasswordHasher implements AutoCloseable {

	private final PasswordEncoder encoder;

	private final ThreadPoolExecutor executor;

	private volatile @Nullable String dummyHash;

	/** Spring Security's Argon2id defaults: 16 MiB, 2 iterations, parallelism 1. */
	public PasswordHasher(int maxConcurrent, int maxQueued) {
		this(Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(), maxConcurrent, maxQueued);
	}

	PasswordHasher(PasswordEncoder encoder, int maxConcurrent, int maxQueued) {
		if (maxConcurrent < 1) {
			throw new IllegalArgumentException("webpipe.auth.max-concurrent-hashes must be at least 1, got "
					+ maxConcurrent);
		}
		if (maxQueued < 0) {
			throw new IllegalArgumentException("webpipe.auth.max-queued-hashes must not be negative, got " + maxQueued);
		}
		this.encoder = encoder;
		BlockingQueue<Runnable> queue = (maxQueued > 0) ? new ArrayBlockingQueue<>(maxQueued) : new SynchronousQueue<>();
		AtomicInteger count = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 60, TimeUnit.SECONDS, queue, (task) -> {
			Thread thread = new Thread(task, "webpipe-auth-hash-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.executor.allowCoreThreadTimeOut(true);
	}

	/**
	 * Whether {@code raw} matches the PHC string {@code encoded}; a {@code null} or empty
	 * {@code encoded} (unknown login, user without password) verifies the dummy hash and answers false.
	 */
	public Mono<Boolean> matches(String raw, @Nullable String encoded) {
		return submit(() -> {
			if (encoded == null || encoded.isEmpty()) {
				this.encoder.matches(raw, dummyHash());
				return false;
			}
			return this.encoder.matches(raw, encoded);
		});
	}

	/** A new Argon2id PHC string for {@code raw}, with a random salt. */
	public Mono<String> encode(String raw) {
		return submit(() -> this.encoder.encode(raw));
	}

	private String dummyHash() {
		String hash = this.dummyHash;
		if (hash == null) {
			hash = Objects.requireNonNull(this.encoder.encode("webpipe-dummy-password"));
			this.dummyHash = hash;
		}
		return hash;
	}

	/**
	 * Runs {@code work} on the hashing threads; the caller continues on a Reactor worker, so that
	 * the steps after this one never hold a hashing thread.
	 */
	private <T> Mono<T> submit(Callable<T> work) {
		Mono<T> hashed = Mono.create((sink) -> {
			Runnable task = () -> {
				try {
					sink.success(work.call());
				}
				catch (Throwable ex) {
					sink.error(ex);
				}
			};
			try {
				Future<?> future = this.executor.submit(task);
				sink.onCancel(() -> {
					future.cancel(false);
					this.executor.remove((Runnable) future);
				});
			}
			catch (RejectedExecutionException ex) {
				sink.error(new TooManyHashesException());
			}
		});
		return hashed.publishOn(Schedulers.parallel());
	}

	/** Hashes running or waiting now (for tests and metrics). */
	int pending() {
		return this.executor.getActiveCount() + this.executor.getQueue().size();
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	/** More hashes were asked for than may run and wait at once. */
	static final class TooManyHashesException extends RuntimeException {

		TooManyHashesException() {
			super(AuthErrors.TOO_MANY_ATTEMPTS, null, false, false);
		}

	}

}
