package dev.webpipe.autoconfigure;

import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicReference;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;

import dev.webpipe.language.LoadException;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.middleware.pg.PgConnections;
import dev.webpipe.middleware.pg.PgConnectionsAccess;
import dev.webpipe.testing.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up cases of pg (README.md of the spec): the application's ConnectionFactory, else a
 * pool from config pg or webpipe.config.pg.*, else a load-time error; never a connection at start-up.
 */
class PgConfigurationTest {

	private static final String ROUTES = "webpipe.routes-location=classpath:/pg/app/";

	private static final String CONFIGURED_ROUTES = "webpipe.routes-location=classpath:/pg/app/,classpath:/pg/configured/";

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebPipeAutoConfiguration.class))
		.withBean(ServerCodecConfigurer.class, ServerCodecConfigurer::create);

	@BeforeAll
	static void createTable() {
		TestDatabase.execute("DROP TABLE IF EXISTS pgt_app_users",
				"CREATE TABLE pgt_app_users (id integer PRIMARY KEY, name text NOT NULL)",
				"INSERT INTO pgt_app_users VALUES (1, 'ada'), (2, 'bob')");
	}

	@AfterAll
	static void dropTable() {
		TestDatabase.execute("DROP TABLE IF EXISTS pgt_app_users");
	}

	@Test
	void usesTheApplicationsConnectionFactory() {
		this.runner.withPropertyValues(ROUTES).withBean("appConnectionFactory", ConnectionFactory.class, Shared::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				client(context).get().uri("/pg/users/2").exchange().expectStatus().isOk()
					.expectBody().json("{\"name\":\"bob\"}", true);
				assertThat(pools(context)).isEmpty();
			});
	}

	@Test
	void theApplicationsConnectionFactoryWinsOverConfigPg() {
		this.runner.withPropertyValues(CONFIGURED_ROUTES, "TEST_PG_HOST=127.0.0.1", "TEST_PG_PORT=1",
				"TEST_PG_DATABASE=none", "TEST_PG_USER=none")
			.withBean("appConnectionFactory", ConnectionFactory.class, Shared::new)
			.run((context) -> {
				client(context).get().uri("/pg/count").exchange().expectStatus().isOk()
					.expectBody().json("{\"n\":2}", true);
				assertThat(pools(context)).isEmpty();
			});
	}

	@Test
	void buildsAPoolFromConfigPgAndClosesItWithTheContext() {
		TestDatabase.Endpoint db = TestDatabase.get();
		AtomicReference<ConnectionPool> pool = new AtomicReference<>();
		this.runner.withPropertyValues(CONFIGURED_ROUTES, "TEST_PG_HOST=" + db.host(), "TEST_PG_PORT=" + db.port(),
				"TEST_PG_DATABASE=" + db.database(), "TEST_PG_USER=" + db.username(),
				"TEST_PG_PASSWORD=" + db.password())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				client(context).get().uri("/pg/users/1").exchange().expectStatus().isOk()
					.expectBody().json("{\"name\":\"ada\"}", true);
				assertThat(pools(context)).hasSize(1);
				pool.set(pools(context).iterator().next());
				assertThat(pool.get().getMetrics()).get().satisfies((metrics) -> assertThat(metrics.getMaxAllocatedSize()).isEqualTo(4));
				assertThat(pool.get().isDisposed()).isFalse();
			});
		assertThat(pool.get().isDisposed()).isTrue();
	}

	@Test
	void buildsAPoolFromWebpipeConfigPgProperties() {
		TestDatabase.Endpoint db = TestDatabase.get();
		this.runner.withPropertyValues(ROUTES, "webpipe.config.pg.host=" + db.host(),
				"webpipe.config.pg.port=" + db.port(), "webpipe.config.pg.database=" + db.database(),
				"webpipe.config.pg.user=" + db.username(), "webpipe.config.pg.password=" + db.password())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				client(context).get().uri("/pg/count").exchange().expectStatus().isOk()
					.expectBody().json("{\"n\":2}", true);
			});
	}

	@Test
	void withNeitherTheFirstPgStepIsALoadError() {
		this.runner.withPropertyValues(ROUTES).run((context) -> {
			assertThat(context).hasFailed();
			LoadException ex = (LoadException) findCause(context.getStartupFailure(), LoadException.class);
			assertThat(ex.errors()).hasSize(1);
			assertThat(ex.errors().get(0).render()).startsWith("users.wp:5:24: pg: no database configured: "
					+ "add spring-boot-starter-data-r2dbc and set spring.r2dbc.url")
				.contains("config pg { host port database user password }").contains("webpipe.config.pg.*");
			FailureAnalysis analysis = new WebPipeFailureAnalyzers.LoadFailureAnalyzer().analyze(ex);
			assertThat(analysis.getDescription()).contains("pg: no database configured");
		});
	}

	@Test
	void anApplicationWithoutPgStepsNeedsNoDatabase() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(pools(context)).isEmpty();
		});
	}

	@Test
	void withoutTheDriverAndPoolThereIsNoPgMiddleware() {
		this.runner.withClassLoader(new FilteredClassLoader(ConnectionPool.class)).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(PgConnections.class);
			assertThat(context.getBean(MiddlewareRegistry.class).find("pg")).isEmpty();
		});
	}

	@Test
	void anUnreachableDatabaseDoesNotStopStartUpAndOnlyPgRoutesAnswerSqlError() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		this.runner.withPropertyValues(CONFIGURED_ROUTES, "TEST_PG_HOST=127.0.0.1", "TEST_PG_PORT=" + closedPort,
				"TEST_PG_DATABASE=postgres", "TEST_PG_USER=postgres", "webpipe.errors.include-details=always")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				WebTestClient client = client(context);
				client.get().uri("/pg/plain").exchange().expectStatus().isOk().expectBody().json("{\"plain\":true}", true);
				client.get().uri("/pg/count").exchange().expectStatus().isEqualTo(500)
					.expectBody()
					.jsonPath("$.errors[0].type").isEqualTo("sqlError")
					.jsonPath("$.errors[0].query").isEqualTo("SELECT count(*) AS n FROM pgt_app_users");
			});
	}

	private static Throwable findCause(Throwable failure, Class<? extends Throwable> type) {
		Throwable current = failure;
		while (current != null && !type.isInstance(current)) {
			current = current.getCause();
		}
		assertThat(current).as("cause of type " + type.getSimpleName()).isNotNull();
		return current;
	}

	private static WebTestClient client(ApplicationContext context) {
		return WebTestClient.bindToRouterFunction(context.getBean("webPipeRouterFunction", RouterFunction.class))
			.build();
	}

	private static java.util.Collection<ConnectionPool> pools(ApplicationContext context) {
		return PgConnectionsAccess.pools(context.getBean(PgConnections.class));
	}

	/** The application's factory: the shared test pool, which the context must not close. */
	static final class Shared implements ConnectionFactory {

		@Override
		public Publisher<? extends Connection> create() {
			return TestDatabase.connectionFactory().create();
		}

		@Override
		public ConnectionFactoryMetadata getMetadata() {
			return TestDatabase.connectionFactory().getMetadata();
		}

	}

}
