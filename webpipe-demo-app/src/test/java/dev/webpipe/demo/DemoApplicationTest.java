package dev.webpipe.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DemoApplicationTest {

	@Autowired
	private WebTestClient client;

	@Autowired
	private Environment environment;

	@Autowired
	private org.springframework.context.ApplicationContext context;

	@Test
	void helloAnswersWithTheJqResult() {
		this.client.get().uri("/hello/world").exchange()
			.expectStatus().isOk()
			.expectBody().json("{\"hello\":\"world\"}", true);
	}

	/**
	 * The demo sets the connection settings of docs/production.md's checklist (the autoconfigure module's
	 * ExposureHttpTest shows an idle connection closed by them).
	 */
	@Test
	void setsTheConnectionSettingsOfTheProductionChecklist() throws Exception {
		String docs = Files.readString(Path.of("../docs/production.md"));
		String checklist = docs.substring(docs.indexOf("```properties"), docs.indexOf("```", docs.indexOf("```properties") + 3));
		List<String> settings = checklist.lines().filter((line) -> line.startsWith("server.netty.")).toList();
		assertThat(settings).hasSize(2);
		for (String setting : settings) {
			String[] pair = setting.split("=", 2);
			assertThat(this.environment.getProperty(pair[0])).as(pair[0]).isEqualTo(pair[1]);
		}
	}

	/** With the local store (the default) nothing uses Redis, and Spring Boot's Redis beans are left out. */
	@Test
	void startsNoRedisClientWithTheLocalStore() {
		assertThat(this.context.getBeanNamesForType(
				org.springframework.data.redis.connection.ReactiveRedisConnectionFactory.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(io.lettuce.core.resource.ClientResources.class)).isEmpty();
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
