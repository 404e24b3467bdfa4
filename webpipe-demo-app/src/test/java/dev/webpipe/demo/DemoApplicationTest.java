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

	@Test
	void exposesTheOperationsEndpoints() {
		this.client.get().uri("/actuator/webpipe").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.routes[?(@.path == '/hello/:name')].location").isNotEmpty()
			.jsonPath("$.properties['webpipe.routes-location']").isEqualTo("******");
		this.client.get().uri("/actuator/health").exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.components.webpipe.status").isEqualTo("UP");
		this.client.get().uri("/hello/world").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/metrics/http.server.requests").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/mappings").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).value((text) -> org.assertj.core.api.Assertions.assertThat(text)
				.contains("GET /hello/:name (routes/"));
	}

}
