package dev.webpipe.middleware.pg;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.client.SSLMode;
import io.r2dbc.spi.ConnectionFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.StepDefinition;

/**
 * Where {@code pg} steps get their connections (middleware.md, pg; README.md, start-up cases):
 * the application's R2DBC {@link ConnectionFactory} when it has one, else a pool built from
 * {@code config pg { … }} / {@code webpipe.config.pg.*}, else a load-time error. Nothing connects
 * before the first query, so an unreachable database never stops start-up.
 * <p>
 * The pools created here belong to this object: {@link #close()} disposes them (the Spring
 * bean holding it is closed with the application context). A step {@link #lease leases} its pool;
 * when the steps of a reloaded program are closed and no step leases a pool any more, the pool is
 * disposed (docs/reload.md#what-a-reload-replaces), so a pool whose settings did not change
 * survives a reload.
 */
public final class PgConnections implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(PgConnections.class);

	/** The load error of a {@code pg} step without a database (docs/middleware/pg.md#where-the-connection-comes-from). */
	static final String NO_DATABASE = "pg: no database configured: add spring-boot-starter-data-r2dbc and set "
			+ "spring.r2dbc.url (with spring.r2dbc.username and spring.r2dbc.password) so that the application has "
			+ "a ConnectionFactory, or declare config pg { host port database user password } "
			+ "(or webpipe.config.pg.* properties)";

	private final Supplier<? extends ConnectionFactory> application;

	private final PgStatements statements;

	private final Map<PgSettings, Shared> pools = new ConcurrentHashMap<>();

	private final AtomicBoolean configIgnoredLogged = new AtomicBoolean();

	private volatile boolean closed;

	/**
	 * @param application the application's connection factory, or a supplier of {@code null}
	 * when it has none (such as {@code ObjectProvider::getIfAvailable})
	 */
	public PgConnections(Supplier<? extends ConnectionFactory> application) {
		this(application, PgStatements.DEFAULT_STATEMENT_TIMEOUT);
	}

	/**
	 * @param application the application's connection factory, or a supplier of {@code null}
	 * when it has none (such as {@code ObjectProvider::getIfAvailable})
	 * @param statementTimeout {@code webpipe.pg.statement-timeout}
	 */
	public PgConnections(Supplier<? extends ConnectionFactory> application, Duration statementTimeout) {
		this.application = application;
		this.statements = new PgStatements(statementTimeout);
	}

	/** Connections from a factory the caller owns (the caller closes it). */
	public static PgConnections of(ConnectionFactory connectionFactory) {
		return new PgConnections(() -> connectionFactory);
	}

	/** Connections from a factory the caller owns, with a statement timeout. */
	public static PgConnections of(ConnectionFactory connectionFactory, Duration statementTimeout) {
		return new PgConnections(() -> connectionFactory, statementTimeout);
	}

	/**
	 * How SQL runs on these connections: within {@code webpipe.pg.statement-timeout}, cancelled
	 * in PostgreSQL when abandoned (docs/middleware/pg.md#timeouts-and-cancellation). Every
	 * statement WebPipe runs goes through it.
	 */
	public PgStatements statements() {
		return this.statements;
	}

	/**
	 * The connection factory for a step of a program, for as long as the application runs.
	 * @throws InvalidStepException when no database is configured, or {@code config pg} is invalid
	 */
	public ConnectionFactory resolve(StepDefinition definition) throws InvalidStepException {
		return lease(definition).factory();
	}

	/**
	 * The connection factory for a step of a program, until the step closes the lease: a pool
	 * built from {@code config pg} is disposed once no lease holds it.
	 * @throws InvalidStepException when no database is configured, or {@code config pg} is invalid
	 */
	public Lease lease(StepDefinition definition) throws InvalidStepException {
		ConnectionFactory factory = this.application.get();
		boolean configured = definition.hasConfigBlock("pg");
		if (factory != null) {
			if (configured && this.configIgnoredLogged.compareAndSet(false, true)) {
				logger.info("pg steps use the application's ConnectionFactory; config pg is ignored");
			}
			return new Lease(factory, null);
		}
		if (!configured) {
			throw InvalidStepException.setup(NO_DATABASE);
		}
		PgSettings settings = definition.settings(PgMiddleware.CONFIG);
		synchronized (this.pools) {
			if (this.closed) {
				throw new IllegalStateException("pg connections are closed");
			}
			Shared shared = this.pools.computeIfAbsent(settings, (key) -> new Shared(createPool(key)));
			shared.leases++;
			return new Lease(shared.pool, () -> release(settings, shared));
		}
	}

	private void release(PgSettings settings, Shared shared) {
		synchronized (this.pools) {
			if (--shared.leases > 0 || this.pools.get(settings) != shared) {
				return;
			}
			this.pools.remove(settings);
		}
		logger.info("pg: disposing the pool no step uses any more: {}", settings);
		shared.pool.dispose();
	}

	/** A pool and how many steps lease it. */
	private static final class Shared {

		private final ConnectionPool pool;

		private int leases;

		Shared(ConnectionPool pool) {
			this.pool = pool;
		}

	}

	/**
	 * The connection factory of a step until it is {@link #close() closed}: closing the last
	 * lease of a pool built from {@code config pg} disposes the pool. Closing twice does nothing.
	 */
	public static final class Lease implements AutoCloseable {

		private final ConnectionFactory factory;

		private final AtomicBoolean open = new AtomicBoolean(true);

		private final @Nullable Runnable release;

		Lease(ConnectionFactory factory, @Nullable Runnable release) {
			this.factory = factory;
			this.release = release;
		}

		public ConnectionFactory factory() {
			return this.factory;
		}

		@Override
		public void close() {
			if (this.open.compareAndSet(true, false) && this.release != null) {
				this.release.run();
			}
		}

	}

	private static ConnectionPool createPool(PgSettings settings) {
		PostgresqlConnectionConfiguration.Builder connection = PostgresqlConnectionConfiguration.builder()
			.host(settings.host())
			.port(settings.port())
			.database(settings.database())
			.username(settings.user())
			.password(settings.password())
			.applicationName("webpipe")
			.connectTimeout(Duration.ofSeconds(10));
		if (settings.ssl()) {
			connection.sslMode(SSLMode.REQUIRE);
		}
		ConnectionPoolConfiguration pool = ConnectionPoolConfiguration
			.builder(new PostgresqlConnectionFactory(connection.build()))
			.name("webpipe-pg")
			.initialSize(settings.initialPoolSize())
			.maxSize(settings.maxPoolSize())
			.maxIdleTime(Duration.ofMinutes(30))
			.maxAcquireTime(Duration.ofSeconds(30))
			.build();
		logger.info("pg steps use a pool of their own: {}", settings);
		return new ConnectionPool(pool);
	}

	/** The pools created so far (for tests). */
	java.util.Collection<ConnectionPool> pools() {
		return this.pools.values().stream().map((shared) -> shared.pool).toList();
	}

	/** Disposes the pools created from {@code config pg}; the application's factory is left alone. */
	@Override
	public void close() {
		synchronized (this.pools) {
			this.closed = true;
			this.pools.values().forEach((shared) -> shared.pool.dispose());
			this.pools.clear();
		}
	}

}
