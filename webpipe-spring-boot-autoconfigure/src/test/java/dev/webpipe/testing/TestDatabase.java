package dev.webpipe.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one real PostgreSQL of a test run: Testcontainers' when a Docker daemon answers, else an
 * embedded PostgreSQL (zonky), started on first use and shared by every test of the JVM.
 * Usable from {@code @DynamicPropertySource} ({@link #registerR2dbc}, {@link #registerPgConfig})
 * and from plain tests ({@link #get()}, {@link #connectionFactory()}, {@link #execute}).
 */
public final class TestDatabase {

	private static final Object lock = new Object();

	private static volatile Endpoint endpoint;

	private static volatile ConnectionPool pool;

	private TestDatabase() {
	}

	/**
	 * Where the database listens.
	 *
	 * @param host the host name
	 * @param port the port
	 * @param database the database name
	 * @param username the user
	 * @param password the user's password
	 */
	public record Endpoint(String host, int port, String database, String username, String password) {

		/** {@code r2dbc:postgresql://host:port/database}. */
		public String r2dbcUrl() {
			return "r2dbc:postgresql://" + this.host + ":" + this.port + "/" + this.database;
		}

	}

	/** The database, started on the first call. */
	public static Endpoint get() {
		Endpoint current = endpoint;
		if (current == null) {
			synchronized (lock) {
				if (endpoint == null) {
					endpoint = start();
				}
				current = endpoint;
			}
		}
		return current;
	}

	/** {@code spring.r2dbc.url}, {@code username} and {@code password} (the application's ConnectionFactory). */
	public static void registerR2dbc(DynamicPropertyRegistry registry) {
		registry.add("spring.r2dbc.url", () -> get().r2dbcUrl());
		registry.add("spring.r2dbc.username", () -> get().username());
		registry.add("spring.r2dbc.password", () -> get().password());
	}

	/** {@code webpipe.config.pg.*} (the pool that WebPipe builds itself), all values as strings. */
	public static void registerPgConfig(DynamicPropertyRegistry registry) {
		registry.add("webpipe.config.pg.host", () -> get().host());
		registry.add("webpipe.config.pg.port", () -> String.valueOf(get().port()));
		registry.add("webpipe.config.pg.database", () -> get().database());
		registry.add("webpipe.config.pg.user", () -> get().username());
		registry.add("webpipe.config.pg.password", () -> get().password());
	}

	/** A small connection pool to the database, shared by plain tests; do not close it. */
	public static ConnectionFactory connectionFactory() {
		ConnectionPool current = pool;
		if (current == null) {
			synchronized (lock) {
				if (pool == null) {
					pool = newPool(get(), 12);
				}
				current = pool;
			}
		}
		return current;
	}

	/** A new pool to the given endpoint (the caller disposes it). */
	public static ConnectionPool newPool(Endpoint target, int maxSize) {
		PostgresqlConnectionFactory factory = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration
			.builder()
			.host(target.host())
			.port(target.port())
			.database(target.database())
			.username(target.username())
			.password(target.password())
			.connectTimeout(Duration.ofSeconds(5))
			.build());
		return new ConnectionPool(ConnectionPoolConfiguration.builder(factory).initialSize(0).maxSize(maxSize).build());
	}

	/** Runs SQL statements (set-up of a test), one after the other, and waits for them. */
	public static void execute(String... statements) {
		Mono.usingWhen(Mono.from(connectionFactory().create()),
				(Connection connection) -> Flux.fromArray(statements)
					.concatMap((sql) -> Flux.from(connection.createStatement(sql).execute())
						.concatMap((result) -> result.getRowsUpdated()))
					.then(),
				Connection::close)
			.block(Duration.ofSeconds(30));
	}

	/**
	 * How many statements whose text contains {@code 'marker'} (the marker as a quoted SQL literal)
	 * PostgreSQL is running now, as {@code pg_stat_activity} shows them.
	 */
	public static long running(String marker) {
		return Mono.usingWhen(Mono.from(connectionFactory().create()),
				(Connection connection) -> Mono.from(connection.createStatement("SELECT count(*) FROM pg_stat_activity "
						+ "WHERE state = 'active' AND pid <> pg_backend_pid() AND query LIKE '%' || $1 || '%'")
					.bind(0, "'" + marker + "'")
					.execute()).flatMap((result) -> Mono.from(result.map((row, metadata) -> row.get(0, Long.class)))),
				Connection::close)
			.block(Duration.ofSeconds(10));
	}

	private static Endpoint start() {
		LoggingSystem logging = LoggingSystem.get(TestDatabase.class.getClassLoader());
		logging.setLogLevel("org.testcontainers", LogLevel.OFF);
		logging.setLogLevel("com.github.dockerjava", LogLevel.OFF);
		if (dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
			container.start();
			return new Endpoint(container.getHost(), container.getMappedPort(5432), container.getDatabaseName(),
					container.getUsername(), container.getPassword());
		}
		try {
			EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
			return new Endpoint("localhost", postgres.getPort(), "postgres", "postgres", "postgres");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start an embedded PostgreSQL", ex);
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
