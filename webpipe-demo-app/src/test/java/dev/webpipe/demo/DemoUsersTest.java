package dev.webpipe.demo;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's pg route on its own database: no spring.r2dbc.url is set, so the demo starts an
 * embedded PostgreSQL, Spring Boot's R2DBC auto-configuration connects to it and Spring's SQL
 * initialisation seeds it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DemoUsersTest {

	@Autowired
	private WebTestClient client;

	@Autowired
	private Environment environment;

	@Test
	void aUserComesFromPostgresqlWithTheirPosts() {
		this.client.get().uri("/users/2").exchange()
			.expectStatus().isOk()
			.expectBody().json("""
					{"id": 2, "name": "Grace Hopper", "email": "grace@example.com",
					 "created_at": "2024-02-01T14:00:00",
					 "posts": [{"id": 2, "title": "Finding the first bug", "tags": ["debugging"]},
					           {"id": 3, "title": "Compilers for everyone", "tags": ["compilers", "languages"]}]}
					""", true);
	}

	@Test
	void anUnknownUserIsNotFound() {
		this.client.get().uri("/users/999").exchange()
			.expectStatus().isNotFound()
			.expectBody().json("{\"error\": \"no user with id 999\"}", true);
	}

	@Test
	void anIdThatIsNotANumberIsABadRequestWithoutSqlInTheAnswer() {
		for (String id : new String[] { "abc", "1x", "-1", "99999999999", "1%20OR%201=1" }) {
			this.client.get().uri("/users/" + id).exchange()
				.expectStatus().isBadRequest()
				.expectBody().json("{\"error\": \"id must be a number\"}", true);
		}
	}

	@Test
	void theDatabaseIsTheEmbeddedOneWhenNoUrlIsSet() {
		assertThat(this.environment.getProperty("spring.r2dbc.url")).startsWith("r2dbc:postgresql://localhost:");
	}

}
