package dev.webpipe.embedded;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** With spring.r2dbc.url set, the application uses that database and starts none of its own. */
class EmbeddedDatabaseTest {

	@Test
	void aConfiguredUrlIsLeftAlone() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.r2dbc.url", "r2dbc:postgresql://db.example:5432/app");
		int sources = environment.getPropertySources().size();
		new EmbeddedDatabase((destination) -> destination.get()).postProcessEnvironment(environment,
				new SpringApplication());
		assertThat(environment.getPropertySources().size()).isEqualTo(sources);
		assertThat(environment.getProperty("spring.r2dbc.url")).isEqualTo("r2dbc:postgresql://db.example:5432/app");
	}

}
