package dev.webpipe.embedded;

import java.net.InetSocketAddress;
import java.net.Socket;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without spring.r2dbc.url the application gets an embedded PostgreSQL, started alongside it; with the property set,
 * it uses that database and starts none of its own.
 */
class EmbeddedDatabaseTest {

	@Test
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
	}

	@Test
	void withoutAUrlTheDatabaseStartsOnThePortGivenAtOnce() throws Exception {
		MockEnvironment environment = new MockEnvironment();
		SpringApplication application = new SpringApplication();
		int initializers = application.getInitializers().size();
		new EmbeddedDatabase((destination) -> destination.get()).postProcessEnvironment(environment, application);
		String url = environment.getProperty("spring.r2dbc.url");
		int port = EmbeddedDatabase.port();
		assertThat(url).isEqualTo("r2dbc:postgresql://localhost:" + port + "/postgres");
		// started with the context, whose connection factory waits for it
		assertThat(application.getInitializers()).hasSize(initializers + 1);
		assertThat(EmbeddedDatabase.awaitStarted().getPort()).isEqualTo(port);
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("localhost", port), 5000);
			assertThat(socket.isConnected()).isTrue();
		}
	}

}
