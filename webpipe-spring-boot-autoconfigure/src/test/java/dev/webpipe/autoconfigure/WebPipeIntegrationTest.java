package dev.webpipe.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web edge over real HTTP: an application with {@code .wp} routes (test resources
 * {@code routes/app.wp} and the featureFlags pipeline of {@code routes/flags.wp}) and a
 * controller of its own.
 */
@WebPipeHttpTest
class WebPipeIntegrationTest {

	@Autowired
	private WebTestClient client;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void servesAWpRoute() {
		this.client.get().uri("/hello/world").exchange()
			.expectStatus().isOk()
			.expectHeader().contentType(MediaType.APPLICATION_JSON)
			.expectBody().json("{\"hello\":\"world\"}", true);
	}

	@Test
	void theMostSpecificRouteWinsWhateverTheFileOrder() {
		this.client.get().uri("/users/me").exchange().expectBody().json("{\"user\":\"me\"}", true);
		this.client.get().uri("/users/7").exchange().expectBody().json("{\"user\":7}", true);
	}

	@Test
	void theFeatureFlagsPipelineRunsBeforeTheRoute() {
		this.client.get().uri("/flags").header("x-beta", "on").header("x-user", "ada").exchange()
			.expectStatus().isOk()
			.expectBody()
			.json("{\"beta\":true,\"flags\":{\"http-beta\":true},\"user\":{\"name\":\"ada\"},"
					+ "\"requestUser\":{\"name\":\"ada\"}}", true);
		this.client.get().uri("/flags").exchange()
			.expectBody().json("{\"beta\":false,\"flags\":{\"http-beta\":false},\"user\":null,"
					+ "\"requestUser\":null}", true);
	}

	@Test
	void theClientAddressIsTheRemoteAddress() {
		this.client.get().uri("/whoami").exchange().expectBody().jsonPath("$.ip").isEqualTo("127.0.0.1");
	}

	@Test
	void malformedJsonAnswers400WithAJsonError() {
		this.client.post().uri("/items").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"a\":")
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].type").isEqualTo("validationError")
			.jsonPath("$.errors[0].rule").isEqualTo("json");
	}

	@Test
	void anOversizedBodyAnswers413() {
		String big = "{\"a\":\"" + "x".repeat(4096) + "\"}";
		this.client.post().uri("/items").contentType(MediaType.APPLICATION_JSON).bodyValue(big)
			.exchange()
			.expectStatus().isEqualTo(413)
			.expectBody()
			.jsonPath("$.errors[0].type").isEqualTo("validationError")
			.jsonPath("$.errors[0].field").isEqualTo("body");
	}

	@Test
	void anotherMethodOnAWpPathAnswers405WithAllow() {
		this.client.put().uri("/hello/world").exchange()
			.expectStatus().isEqualTo(405)
			.expectHeader().valueEquals("Allow", "GET, HEAD, OPTIONS");
	}

	@Test
	void optionsOnAWpPathAnswers204WithAllow() {
		this.client.options().uri("/items").exchange()
			.expectStatus().isNoContent()
			.expectHeader().valueEquals("Allow", "POST, OPTIONS");
	}

	@Test
	void headRunsTheGetRouteWithoutABody() {
		byte[] body = this.client.method(HttpMethod.HEAD).uri("/hello/world").exchange()
			.expectStatus().isOk()
			.expectHeader().contentType(MediaType.APPLICATION_JSON)
			.expectBody().returnResult().getResponseBody();
		assertThat(body).isNullOrEmpty();
	}

	@Test
	void anotherMethodOnAWpPathFallsThroughToTheApplicationsController() {
		this.client.post().uri("/mixed").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).isEqualTo("controller");
		this.client.get().uri("/mixed").exchange().expectBody().json("{\"from\":\"wp\"}", true);
	}

	@Test
	void pathsWithoutWpRoutesAreLeftToTheApplication() {
		this.client.get().uri("/only-controller").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).isEqualTo("controller only");
		this.client.get().uri("/no-such-path").accept(MediaType.APPLICATION_JSON).exchange()
			.expectStatus().isNotFound()
			.expectBody().jsonPath("$.status").isEqualTo(404).jsonPath("$.path").isEqualTo("/no-such-path");
	}

	@Test
	void aFailingRouteAnswers500WithoutStackTraceOrClassName() {
		byte[] body = this.client.get().uri("/boom").exchange()
			.expectStatus().isEqualTo(500)
			.expectBody().jsonPath("$.errors[0].type").isEqualTo("jqError")
			.returnResult().getResponseBody();
		String text = new String(body, StandardCharsets.UTF_8);
		assertThat(text).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("net.thisptr")
			.doesNotContain("java.");
	}

	@Test
	void metricsNameTheMatchedPattern() {
		this.client.get().uri("/hello/metrics").exchange().expectStatus().isOk();
		// the observation ends when the exchange completes, possibly after the client has the response
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
				this.meterRegistry.find("http.server.requests").tag("uri", "/hello/{name}").timer())
			.isNotNull());
	}

	@Test
	void mappingsListTheWpRoutes() {
		// the actuator's answer is larger than the application's codec limit (1KB here), which the client shares
		this.client.mutate().codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(1024 * 1024)).build()
			.get().uri("/actuator/mappings").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).value((text) -> assertThat(text).contains("/hello/{name}"));
	}

}
