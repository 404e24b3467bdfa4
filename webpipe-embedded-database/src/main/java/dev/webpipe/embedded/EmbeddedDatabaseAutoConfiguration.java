package dev.webpipe.embedded;

import java.util.Objects;

import io.r2dbc.spi.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.r2dbc.autoconfigure.ApplicationR2dbcScriptDatabaseInitializer;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcInitializationAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.health.ConnectionFactoryHealthContributorAutoConfiguration;
import org.springframework.boot.sql.autoconfigure.init.ConditionalOnSqlInitialization;
import org.springframework.boot.sql.autoconfigure.init.SqlInitializationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.r2dbc.connection.init.DatabasePopulator;

/**
 * Starts the embedded PostgreSQL of {@link EmbeddedDatabase} with the application's first R2DBC connection
 * (docs/demo.md#the-embedded-database): a {@link StartOnFirstConnection} decorates the connection factory that
 * Spring Boot builds from {@code spring.r2dbc.*}; Boot's SQL initialisation ({@code spring.sql.init.*}) runs once,
 * when the database has started, instead of at start-up; and the {@code r2dbc} health contributor reports a
 * database that has not started yet as {@code UP}, saying so. Applies only when {@link EmbeddedDatabase} set the
 * connection properties (no {@code spring.r2dbc.url} of the application's own).
 */
@AutoConfiguration(after = R2dbcAutoConfiguration.class,
		before = { R2dbcInitializationAutoConfiguration.class, ConnectionFactoryHealthContributorAutoConfiguration.class })
@ConditionalOnClass(ConnectionFactory.class)
@Conditional(EmbeddedDatabaseAutoConfiguration.OnEmbeddedDatabase.class)
public final class EmbeddedDatabaseAutoConfiguration {

	@Bean
	StartOnFirstConnection embeddedDatabaseStart(ObjectProvider<ScriptsWhenStarted> scripts) {
		return new StartOnFirstConnection(() -> {
			ScriptsWhenStarted initializer = scripts.getIfAvailable();
			return (initializer != null) ? initializer::initializeDatabase : () -> {
			};
		});
	}

	/**
	 * Boot's SQL initialisation of the embedded database, which {@link StartOnFirstConnection} runs once it has
	 * started (Boot's own initializer backs off for it).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DatabasePopulator.class)
	@ConditionalOnSqlInitialization
	@EnableConfigurationProperties(SqlInitializationProperties.class)
	@Import(DatabaseInitializationDependencyConfigurer.class)
	static class ScriptsConfiguration {

		@Bean
		ScriptsWhenStarted r2dbcScriptDatabaseInitializer(StartOnFirstConnection start,
				SqlInitializationProperties properties) {
			return new ScriptsWhenStarted(start.undecorated(), properties);
		}

	}

	/** The {@code r2dbc} health contributor, which does not start the database. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConditionalOnEnabledHealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("r2dbc")
	@ConditionalOnSingleCandidate(ConnectionFactory.class)
	static class HealthConfiguration {

		@Bean
		ReactiveHealthIndicator r2dbcHealthContributor(ConnectionFactory connectionFactory, StartOnFirstConnection start) {
			return new EmbeddedDatabaseHealth(connectionFactory, start);
		}

	}

	/** Boot's initializer of {@code spring.sql.init.*}, run by {@link StartOnFirstConnection} instead of at start-up. */
	static final class ScriptsWhenStarted extends ApplicationR2dbcScriptDatabaseInitializer {

		ScriptsWhenStarted(ConnectionFactory connectionFactory, SqlInitializationProperties properties) {
			super(connectionFactory, properties);
		}

		@Override
		public void afterPropertiesSet() {
			// the scripts run when the database has started (StartOnFirstConnection)
		}

		/** A database that lives as long as the JVM: {@code spring.sql.init.mode=embedded} initialises it. */
		@Override
		protected boolean isEmbeddedDatabase() {
			return true;
		}

	}

	/** Matches when {@link EmbeddedDatabase} gave the connection properties. */
	static final class OnEmbeddedDatabase extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			PropertySource<?> embedded = (context.getEnvironment() instanceof ConfigurableEnvironment environment)
					? environment.getPropertySources().get(EmbeddedDatabase.PROPERTY_SOURCE) : null;
			// the URL it gave is the one in force (a test may give another in a source of its own)
			boolean inForce = embedded != null && Objects.equals(embedded.getProperty(EmbeddedDatabase.URL_PROPERTY),
					context.getEnvironment().getProperty(EmbeddedDatabase.URL_PROPERTY));
			return inForce ? ConditionOutcome.match("the embedded PostgreSQL gives spring.r2dbc.url")
					: ConditionOutcome.noMatch("spring.r2dbc.url is the application's own");
		}

	}

}
