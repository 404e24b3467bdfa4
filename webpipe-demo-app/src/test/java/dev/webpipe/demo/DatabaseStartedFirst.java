package dev.webpipe.demo;

import java.time.Duration;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;
import reactor.core.publisher.Mono;

/**
 * The demo's Spring tests are about its routes, not its start: before the tests of a class, this waits for the
 * application's database, so that the embedded PostgreSQL, which starts with the first connection
 * (docs/demo.md#the-embedded-database), has started and been seeded before any request with a time limit.
 * {@link EmbeddedDatabaseOnDemandTest} is the test of that first connection.
 */
public class DatabaseStartedFirst extends AbstractTestExecutionListener {

	@Override
	public void beforeTestClass(TestContext testContext) {
		testContext.getApplicationContext()
			.getBeanProvider(ConnectionFactory.class)
			.ifUnique((connections) -> Mono.usingWhen(connections.create(),
					(connection) -> Mono.from(connection.validate(ValidationDepth.REMOTE)), Connection::close)
				.block(Duration.ofMinutes(3)));
	}

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE;
	}

}
