package dev.webpipe.embedded;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import reactor.core.publisher.Mono;

/**
 * Decorates the connection factory that Spring Boot builds for the embedded PostgreSQL (below its pool): the first
 * connection asked for starts the database, then runs the SQL initialisation once, on a thread of its own, and
 * every connection waits until both are done (docs/demo.md#the-embedded-database). Nothing else starts it, so an
 * application that never connects never starts PostgreSQL.
 */
final class StartOnFirstConnection implements ConnectionFactoryDecorator {

	private static final Log logger = LogFactory.getLog(StartOnFirstConnection.class);

	/** How far the database of this application is. */
	enum State {

		/** No connection was asked for yet. */
		NOT_STARTED,

		/** Starting, or running its SQL initialisation. */
		STARTING,

		/** Started and initialised. */
		STARTED,

		/** It could not be started or initialised. */
		FAILED

	}

	private final Supplier<Runnable> initialize;

	private volatile @Nullable ConnectionFactory undecorated;

	private @Nullable CompletableFuture<Void> ready;

	/**
	 * @param initialize the SQL initialisation, looked up by the first connection's thread and run once when the
	 * database has started
	 */
	StartOnFirstConnection(Supplier<Runnable> initialize) {
		this.initialize = initialize;
	}

	@Override
	public ConnectionFactory decorate(ConnectionFactory connectionFactory) {
		this.undecorated = connectionFactory;
		return new Decorated(connectionFactory);
	}

	/**
	 * The connections of the database without waiting for its start: for the SQL initialisation, which runs
	 * when it has started.
	 */
	ConnectionFactory undecorated() {
		return new Undecorated();
	}

	synchronized State state() {
		if (this.ready == null) {
			return State.NOT_STARTED;
		}
		if (!this.ready.isDone()) {
			return State.STARTING;
		}
		return this.ready.isCompletedExceptionally() ? State.FAILED : State.STARTED;
	}

	/** Starts the database and its initialisation once; completes when both are done. */
	synchronized CompletableFuture<Void> ready() {
		if (this.ready == null) {
			Runnable initialize = this.initialize.get();
			this.ready = EmbeddedDatabase.start().database().thenRunAsync(initialize, (task) -> {
				Thread thread = new Thread(task, "embedded-postgres-init");
				thread.setDaemon(true);
				thread.start();
			}).whenComplete((ignored, failure) -> {
				if (failure != null) {
					logger.error("The embedded PostgreSQL did not start", cause(failure));
				}
			});
		}
		return this.ready;
	}

	private static Throwable cause(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	/** Every connection waits until the database has started and is initialised. */
	private final class Decorated implements ConnectionFactory, Wrapped<ConnectionFactory> {

		private final ConnectionFactory delegate;

		Decorated(ConnectionFactory delegate) {
			this.delegate = delegate;
		}

		/** Starts nothing until subscribed: a pool asks for its publisher of connections when it is built. */
		@Override
		public Publisher<? extends Connection> create() {
			return Mono.defer(() -> Mono.fromFuture(ready(), true))
				.onErrorMap((failure) -> new IllegalStateException("The embedded PostgreSQL did not start",
						cause(failure)))
				.then(Mono.defer(() -> Mono.from(this.delegate.create())));
		}

		@Override
		public ConnectionFactoryMetadata getMetadata() {
			return this.delegate.getMetadata();
		}

		@Override
		public ConnectionFactory unwrap() {
			return this.delegate;
		}

	}

	/** The last connection factory decorated, as it is. */
	private final class Undecorated implements ConnectionFactory {

		private ConnectionFactory delegate() {
			ConnectionFactory delegate = StartOnFirstConnection.this.undecorated;
			if (delegate == null) {
				throw new IllegalStateException("No connection factory of the embedded PostgreSQL yet");
			}
			return delegate;
		}

		@Override
		public Publisher<? extends Connection> create() {
			return Mono.defer(() -> Mono.from(delegate().create()));
		}

		@Override
		public ConnectionFactoryMetadata getMetadata() {
			return delegate().getMetadata();
		}

	}

}
