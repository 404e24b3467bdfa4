package dev.webpipe.embedded;

import io.r2dbc.spi.ConnectionFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.r2dbc.health.ConnectionFactoryHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * The {@code r2dbc} health of the embedded PostgreSQL (docs/demo.md#the-embedded-database): before the first
 * connection it has not started, and says so ({@code UP}: it starts when asked, and a health check does not start
 * it); while it starts, {@code UP} with {@code starting}; afterwards Spring Boot's own check of a connection.
 */
final class EmbeddedDatabaseHealth implements ReactiveHealthIndicator {

	private final ConnectionFactoryHealthIndicator started;

	private final StartOnFirstConnection start;

	EmbeddedDatabaseHealth(ConnectionFactory connectionFactory, StartOnFirstConnection start) {
		this.started = new ConnectionFactoryHealthIndicator(connectionFactory);
		this.start = start;
	}

	@Override
	public Mono<Health> health() {
		return switch (this.start.state()) {
			case NOT_STARTED -> Mono.just(embedded("not started: starts with the first connection"));
			case STARTING -> Mono.just(embedded("starting"));
			case STARTED, FAILED -> this.started.health();
		};
	}

	private static Health embedded(String state) {
		return Health.up().withDetail("database", "PostgreSQL (embedded)").withDetail("state", state).build();
	}

}
