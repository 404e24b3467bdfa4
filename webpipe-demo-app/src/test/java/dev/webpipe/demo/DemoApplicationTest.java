package dev.webpipe.demo;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DemoApplicationTest {

	@Autowired
	private WebTestClient client;

	@Test
	void helloAnswersWithTheJqResult() {
		this.client.get().uri("/hello/world").exchange()
			.expectStatus().isOk()
			.expectBody().json("{\"hello\":\"world\"}", true);
	}

}
