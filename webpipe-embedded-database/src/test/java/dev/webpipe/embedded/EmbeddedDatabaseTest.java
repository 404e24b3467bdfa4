package dev.webpipe.embedded;

import java.time.Duration;
import java.util.List;

import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcInitializationAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.health.ConnectionFactoryHealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without spring.r2dbc.url the application gets an embedded PostgreSQL, started by its first connection, which
 * then runs Spring Boot's SQL initialisation once; with the property set, it uses that database and starts none of
 * its own. The database is one per JVM, so the test that proves nothing starts it before a connection runs first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedDatabaseTest {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class, R2dbcInitializationAutoConfiguration.class,
				ConnectionFactoryHealthContributorAutoConfiguration.class, EmbeddedDatabaseAutoConfiguration.class))
		.withPropertyValues("spring.sql.init.schema-locations=classpath:embedded/schema.sql");

	@Test
	@Order(1)
	void aConfiguredUrlIsLeftAlone() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.r2dbc.url", "r2dbc:postgresql://db.example:5432/app");
		int sources = environment.getPropertySources().size();
		SpringApplication application = new SpringApplication();
		int initializers = application.getInitializers().size();
		new EmbeddedDatabase((destination) -> destination.get()).postProcessEnvironment(environment, application);
		assertThat(environment.getPropertySources().size()).isEqualTo(sources);
		assertThat(environment.getProperty("spring.r2dbc.url")).isEqualTo("r2dbc:postgresql://db.example:5432/app");
		assertThat(application.getInitializers()).hasSize(initializers);
		this.contexts
			.withPropertyValues("spring.r2dbc.url=r2dbc:postgresql://db.example:5432/app", "spring.r2dbc.username=app",
					"spring.r2dbc.password=secret")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(StartOnFirstConnection.class));
		assertThat(EmbeddedDatabase.isStarting()).isFalse();
	}

	@Test
	@Order(2)
	void theFirstConnectionStartsTheDatabaseAndRunsTheScriptsOnce() {
		this.contexts.withInitializer((context) -> new EmbeddedDatabase((destination) -> destination.get())
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(StartOnFirstConnection.class);
				assertThat(context.getEnvironment().getProperty("spring.r2dbc.url"))
					.isEqualTo("r2dbc:postgresql://localhost:" + EmbeddedDatabase.port() + "/postgres");
				// the context has started, its SQL initialisation included, and nothing has started PostgreSQL
				StartOnFirstConnection start = context.getBean(StartOnFirstConnection.class);
				assertThat(start.state()).isEqualTo(StartOnFirstConnection.State.NOT_STARTED);
				assertThat(EmbeddedDatabase.isStarting()).isFalse();
				ReactiveHealthIndicator health = context.getBean("r2dbcHealthContributor", ReactiveHealthIndicator.class);
				Health before = health.health().block(Duration.ofSeconds(10));
				assertThat(before.getStatus()).isEqualTo(Status.UP);
				assertThat(before.getDetails()).containsEntry("state", "not started: starts with the first connection");
				assertThat(EmbeddedDatabase.isStarting()).isFalse();

				// the first queries, at once, wait for the start and the scripts
				DatabaseClient db = DatabaseClient.create(context.getBean(ConnectionFactory.class));
				List<String> texts = Flux.range(0, 4)
					.flatMap((i) -> db.sql("SELECT text FROM greetings WHERE id = 1")
						.map((row) -> row.get(0, String.class))
						.one())
					.collectList()
					.block(Duration.ofSeconds(120));
				assertThat(texts).containsExactly("hello", "hello", "hello", "hello");
				assertThat(start.state()).isEqualTo(StartOnFirstConnection.State.STARTED);
				assertThat(EmbeddedDatabase.awaitStarted().getPort()).isEqualTo(EmbeddedDatabase.port());
				// the scripts ran once
				assertThat(db.sql("SELECT count(*) FROM script_runs").map((row) -> row.get(0, Long.class))
					.one()
					.block(Duration.ofSeconds(30))).isEqualTo(1L);
				Health after = health.health().block(Duration.ofSeconds(30));
				assertThat(after.getStatus()).isEqualTo(Status.UP);
				assertThat(after.getDetails()).containsEntry("database", "PostgreSQL").doesNotContainKey("state");
			});
	}

}
