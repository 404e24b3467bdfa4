package dev.webpipe.demo;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code --webpipe.routes-location=file:dir/} replaces the demo's own routes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "webpipe.routes-location=file:src/test/resources/other-routes/")
@AutoConfigureWebTestClient
class OtherRoutesLocationTest {

	@Autowired
	private WebTestClient client;

	@Test
	void servesTheRoutesOfTheGivenFolderInstead() {
		this.client.get().uri("/greet/ada").exchange()
			.expectStatus().isOk()
			.expectBody().json("{\"greeting\":\"hi ada\"}", true);
		this.client.get().uri("/hello/world").exchange().expectStatus().isNotFound();
	}

}
