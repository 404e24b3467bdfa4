package dev.webpipe.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives the demo application and the benchmarks a database when none is configured: without
 * {@code spring.r2dbc.url}, starts an embedded PostgreSQL (one per JVM, stopped when the JVM exits)
 * and points {@code spring.r2dbc.*} at it, so Spring Boot's R2DBC auto-configuration and SQL
 * initialisation work as with any other database. With {@code spring.r2dbc.url} set, it does
 * nothing. Registered in {@code META-INF/spring.factories} of this module, which the starter
 * never depends on.
 */
public class EmbeddedDatabase implements EnvironmentPostProcessor {

	static final String URL_PROPERTY = "spring.r2dbc.url";

	private static EmbeddedPostgres postgres;

	private final Log logger;

	public EmbeddedDatabase(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(EmbeddedDatabase.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty(URL_PROPERTY)) {
			return;
		}
		int port = start().getPort();
		this.logger.info("No " + URL_PROPERTY + " set: using an embedded PostgreSQL on port " + port);
		environment.getPropertySources()
			.addLast(new MapPropertySource("embeddedPostgres",
					Map.of(URL_PROPERTY, "r2dbc:postgresql://localhost:" + port + "/postgres", "spring.r2dbc.username",
							"postgres", "spring.r2dbc.password", "postgres")));
	}

	private static synchronized EmbeddedPostgres start() {
		if (postgres == null) {
			try {
				postgres = EmbeddedPostgres.builder().start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot start the embedded PostgreSQL", ex);
			}
		}
		return postgres;
	}

}
