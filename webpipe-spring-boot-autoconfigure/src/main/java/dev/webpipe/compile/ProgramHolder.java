package dev.webpipe.compile;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The program that is serving, and the one place every reader of the program reads it from
 * (docs/architecture.md#the-program-holder): the router functions, the 405/{@code OPTIONS}
 * fallback, {@code /actuator/mappings}, {@code /actuator/webpipe}, health, the test runner and API
 * descriptions. A reload ({@link #replace}) swaps the program atomically: a request that started on
 * the previous program finishes on it ({@link Loaded#enter()} / {@link Loaded#exit()}), and the
 * previous program's resources are closed once those requests have drained
 * (docs/reload.md#what-a-reload-replaces).
 */
public final class ProgramHolder implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ProgramHolder.class);

	/** The default bound of the wait for a replaced program's requests ({@code webpipe.reload.drain-timeout}). */
	public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

	private final AtomicLong generations = new AtomicLong();

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private final Duration drainTimeout;

	private volatile Loaded current;

	private volatile @Nullable ReloadOutcome lastReload;

	/** Holds a program loaded now, with the default drain timeout. */
	public ProgramHolder(CompiledProgram program) {
		this(program, Instant.now(), DEFAULT_DRAIN_TIMEOUT);
	}

	/**
	 * @param program the program loaded at start-up
	 * @param loadedAt when it was loaded
	 * @param drainTimeout how long a replaced program waits for its requests before its resources are closed
	 * anyway ({@code webpipe.reload.drain-timeout})
	 */
	public ProgramHolder(CompiledProgram program, Instant loadedAt, Duration drainTimeout) {
		this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
		this.current = new Loaded(program, loadedAt, this.generations.incrementAndGet());
	}

	/** The program now serving, with when it was loaded and its generation. */
	public Loaded current() {
		return this.current;
	}

	/** The compiled program now serving. */
	public CompiledProgram program() {
		return this.current.program();
	}

	/** The result of the last reload, or {@code null} when the program was never reloaded. */
	public @Nullable ReloadOutcome lastReload() {
		return this.lastReload;
	}

	/**
	 * Tells {@code listener} of every replacement, on the thread that replaces the program (never a
	 * request's thread): {@link Listener#preparing} before the new program serves, {@link Listener#replaced} after.
	 */
	public void addListener(Listener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	/**
	 * Serves {@code program} from now on: new requests use it, requests in flight finish on the
	 * previous one, whose resources are closed once they have drained.
	 * @param program the new program
	 * @param outcome what the reload reports (in {@code /actuator/webpipe} and health)
	 * @return the new program as held
	 * @throws RuntimeException when a listener failed to prepare for the new program, which then does not serve
	 */
	public synchronized Loaded replace(CompiledProgram program, ReloadOutcome outcome) {
		Loaded previous = this.current;
		Loaded next = new Loaded(program, outcome.at(), this.generations.incrementAndGet());
		for (Listener listener : this.listeners) {
			listener.preparing(next);
		}
		this.current = next;
		this.lastReload = outcome;
		for (Listener listener : this.listeners) {
			try {
				listener.replaced(previous, next);
			}
			catch (RuntimeException ex) {
				logger.warn("A WebPipe program listener failed after a reload", ex);
			}
		}
		retire(previous);
		return next;
	}

	/** Records a reload that did not compile: the program now serving goes on serving. */
	public synchronized void failed(ReloadOutcome outcome) {
		this.lastReload = outcome;
	}

	/**
	 * Once the previous program's requests have drained (or after the drain timeout), waits for the detached tasks
	 * running then (up to {@code webpipe.async.detached-timeout}) and closes the program's resources, on a worker
	 * that may block.
	 */
	private void retire(Loaded previous) {
		Mono.fromFuture(previous.retire())
			.timeout(this.drainTimeout, Mono.fromRunnable(() -> {
				int running = previous.inFlight();
				previous.forceClose();
				logger.warn("WebPipe program {} still had {} request(s) in flight after webpipe.reload.drain-timeout "
						+ "({}); closing its resources", previous.generation(), running, this.drainTimeout);
			}))
			.publishOn(Schedulers.boundedElastic())
			.then(Mono.fromRunnable(() -> {
				var settings = previous.program().executor().settings();
				settings.detachedTasks().await(settings.detachedTimeout());
				closeResources(previous.program());
			}))
			.subscribe(null, (ex) -> logger.warn("Closing a replaced WebPipe program failed", ex));
	}

	private static void closeResources(CompiledProgram program) {
		for (AutoCloseable resource : program.resources()) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				logger.warn("Closing a resource of a replaced WebPipe program failed", ex);
			}
		}
	}

	/** Closes the resources of the program now serving (the application is stopping). */
	@Override
	public void close() {
		Loaded serving = this.current;
		serving.forceClose();
		closeResources(serving.program());
	}

	/** Told when the program is replaced. */
	@FunctionalInterface
	public interface Listener {

		/**
		 * A new program is about to serve: build what is derived from it (an index, a document) here, so that no
		 * request waits for it. Throwing stops the replacement: the previous program keeps serving.
		 * @param next the program about to serve
		 */
		default void preparing(Loaded next) {
		}

		/**
		 * @param previous the program that served until now (its requests in flight finish on it)
		 * @param current the program now serving
		 */
		void replaced(Loaded previous, Loaded current);

	}

	/**
	 * One loaded program: the compiled program, when it was loaded, its generation (1 at start-up, one more per
	 * successful reload), and how many requests run on it.
	 */
	public static final class Loaded {

		/** A closed program's count: below zero, and staying below zero as late requests leave. */
		private static final int CLOSED = -1_000_000_000;

		private final CompiledProgram program;

		private final Instant loadedAt;

		private final long generation;

		private final AtomicInteger inFlight = new AtomicInteger();

		private final CompletableFuture<Void> drained = new CompletableFuture<>();

		private volatile boolean retired;

		Loaded(CompiledProgram program, Instant loadedAt, long generation) {
			this.program = Objects.requireNonNull(program, "program");
			this.loadedAt = loadedAt;
			this.generation = generation;
		}

		public CompiledProgram program() {
			return this.program;
		}

		public Instant loadedAt() {
			return this.loadedAt;
		}

		public long generation() {
			return this.generation;
		}

		/**
		 * A request starts on this program.
		 * @return {@code false} when the program was replaced and has drained already: the request
		 * belongs to the program now serving
		 */
		public boolean enter() {
			while (true) {
				int count = this.inFlight.get();
				if (count < 0) {
					return false;
				}
				if (this.inFlight.compareAndSet(count, count + 1)) {
					return true;
				}
			}
		}

		/** A request that {@link #enter() entered} has ended (answered, failed or cancelled). */
		public void exit() {
			if (this.inFlight.decrementAndGet() == 0 && this.retired) {
				tryDrain();
			}
		}

		/** How many requests run on this program. */
		public int inFlight() {
			return Math.max(0, this.inFlight.get());
		}

		CompletableFuture<Void> retire() {
			this.retired = true;
			tryDrain();
			return this.drained;
		}

		void forceClose() {
			this.inFlight.set(CLOSED);
			this.drained.complete(null);
		}

		private void tryDrain() {
			if (this.inFlight.compareAndSet(0, CLOSED)) {
				this.drained.complete(null);
			}
		}

		@Override
		public String toString() {
			int routes = this.program.routes().size();
			return "program " + this.generation + " (" + routes + ((routes == 1) ? " route" : " routes")
					+ ", loaded at " + this.loadedAt + ")";
		}

	}

	/**
	 * The result of a reload, as {@code /actuator/webpipe} and health show it.
	 *
	 * @param at when the reload finished
	 * @param result {@code loaded}, or {@code failed} when the previous program keeps serving
	 * @param tookMillis how long reading and compiling took
	 * @param files the files of the program now serving
	 * @param routes the routes of the program now serving
	 * @param errors every error of a failed reload, as logged: {@code file:line:col}, the message, the line and a
	 * caret (empty when it loaded)
	 */
	public record ReloadOutcome(Instant at, String result, long tookMillis, int files, int routes,
			List<String> errors) {

		public ReloadOutcome {
			errors = List.copyOf(errors);
		}

		/** A reload that compiled. */
		public static ReloadOutcome loaded(Instant at, long tookMillis, CompiledProgram program) {
			return new ReloadOutcome(at, "loaded", tookMillis, program.documents().size(), program.routes().size(),
					List.of());
		}

		/** A reload that did not compile; {@code serving} goes on serving. */
		public static ReloadOutcome failed(Instant at, long tookMillis, CompiledProgram serving, List<String> errors) {
			return new ReloadOutcome(at, "failed", tookMillis, serving.documents().size(), serving.routes().size(),
					errors);
		}

	}

}
