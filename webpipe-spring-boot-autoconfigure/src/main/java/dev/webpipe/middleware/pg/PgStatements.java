package dev.webpipe.middleware.pg;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.Timeouts;

/**
 * The one way WebPipe runs SQL (docs/middleware/pg.md#timeouts-and-cancellation): a connection of
 * a factory is used for some work and given back to its pool on completion, error and
 * cancellation, and work that is abandoned is cancelled in PostgreSQL first, with PostgreSQL's
 * cancel request (never a {@code SET statement_timeout} on the application's shared pool, which
 * would leak into the application's own repositories). Abandoned means:
 * <ul>
 * <li>the statement timeout ({@code webpipe.pg.statement-timeout}) passed: the returned
 * {@link Mono} fails with {@link StatementTimeoutException} (SQLSTATE {@value #QUERY_CANCELED});</li>
 * <li>the subscriber cancelled: the client went away, the {@code @async} task timed out, or a
 * blocking caller (Lua's {@code executeSql}) was interrupted.</li>
 * </ul>
 * The cancel request is sent before the connection goes back to the pool, so the next user of
 * the connection never inherits a running statement. The timeout is kept by {@link Timeouts}' timer
 * wheel (it may fire up to 10 ms late). {@code pg} steps, Lua's {@code executeSql}
 * and {@code auth} use it. Thread-safe.
 */
public final class PgStatements {

	private static final Logger logger = LoggerFactory.getLogger(PgStatements.class);

	/** SQLSTATE 57014, {@code query_canceled}. */
	public static final String QUERY_CANCELED = "57014";

	/** The default of {@code webpipe.pg.statement-timeout}. */
	static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

	private final Duration statementTimeout;

	/**
	 * @param statementTimeout the longest time one use of a connection may take, waiting for the
	 * connection included ({@code webpipe.pg.statement-timeout})
	 */
	public PgStatements(Duration statementTimeout) {
		if (statementTimeout == null || statementTimeout.isNegative() || statementTimeout.isZero()) {
			throw new IllegalArgumentException("webpipe.pg.statement-timeout must be positive, got " + statementTimeout);
		}
		this.statementTimeout = statementTimeout;
	}

	public Duration statementTimeout() {
		return this.statementTimeout;
	}

	/**
	 * Runs {@code work} on a connection of {@code connectionFactory}, within the statement timeout.
	 * @param connectionFactory where the connection comes from (a pool, usually)
	 * @param work what to do with the connection; its first value is the result
	 * @return the first value of the work; a {@link StatementTimeoutException} when the timeout passed
	 */
	public <T> Mono<T> execute(ConnectionFactory connectionFactory,
			Function<? super Connection, ? extends Publisher<T>> work) {
		Duration timeout = this.statementTimeout;
		return Timeouts.within(Mono.usingWhen(Mono.from(connectionFactory.create()),
				(connection) -> Mono.from(work.apply(connection)), Connection::close,
				(connection, error) -> connection.close(), (connection) -> cancelThenClose(connection)), timeout,
				"webpipe.pg", Mono.error(() -> new StatementTimeoutException(timeout)));
	}

	/**
	 * The cancel path: PostgreSQL's cancel request for whatever the connection runs, then the
	 * connection back to its pool. A failed cancel request is logged and the connection closed
	 * all the same.
	 */
	static Mono<Void> cancelThenClose(Connection connection) {
		PostgresqlConnection postgres = unwrap(connection);
		Mono<Void> cancel = (postgres != null) ? postgres.cancelRequest()
			.timeout(Duration.ofSeconds(10))
			.doOnError((ex) -> logger.warn("pg: the cancel request failed: {}", ex.toString()))
			.onErrorResume((ex) -> Mono.empty()) : Mono.empty();
		return cancel.then(Mono.defer(() -> Mono.from(connection.close())));
	}

	/** The PostgreSQL connection inside a pooled (or otherwise wrapped) one, or {@code null}. */
	static @Nullable PostgresqlConnection unwrap(Object connection) {
		Object current = connection;
		for (int depth = 0; current != null && depth < 16; depth++) {
			if (current instanceof PostgresqlConnection postgres) {
				return postgres;
			}
			current = (current instanceof Wrapped<?> wrapped) ? wrapped.unwrap() : null;
		}
		return null;
	}

	/** The statement timeout passed; the statement was cancelled in PostgreSQL. */
	public static final class StatementTimeoutException extends TimeoutException {

		private final Duration timeout;

		public StatementTimeoutException(Duration timeout) {
			super("the SQL statement was cancelled after " + format(timeout) + " (webpipe.pg.statement-timeout)");
			this.timeout = timeout;
		}

		public Duration timeout() {
			return this.timeout;
		}

		/** SQLSTATE {@value PgStatements#QUERY_CANCELED}. */
		public String sqlState() {
			return QUERY_CANCELED;
		}

	}

	static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

}
