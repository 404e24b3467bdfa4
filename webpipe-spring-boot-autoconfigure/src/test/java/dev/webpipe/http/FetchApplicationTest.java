package dev.webpipe.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code fetch} URLs starting with {@code /} call this application at the port its server bound. */
class FetchApplicationTest extends HttpApplicationTests {

	@Autowired
	private WebTestClient client;

	@Test
	void aRelativeUrlCallsAWpRouteOfThisApplicationWithoutForwardingCredentials() {
		byte[] body = this.client.get().uri("/self/call")
			.header("Authorization", "Bearer secret")
			.header("Cookie", "sid=abc")
			.exchange()
			.expectStatus().isOk()
			.expectBody().returnResult().getResponseBodyContent();
		JsonNode result = Json.parse(body);
		assertThat(result.get("upstreamStatus").intValue()).isEqualTo(200);
		JsonNode upstream = result.get("upstream");
		assertThat(upstream.get("query").get("from").asText()).isEqualTo("wp");
		assertThat(upstream.get("headers").get("host").asText()).isEqualTo("127.0.0.1:" + PORT);
		assertThat(upstream.get("headers").get("user-agent").asText()).isEqualTo("WebPipe/1.0");
		assertThat(upstream.get("headers").has("authorization")).isFalse();
		assertThat(upstream.get("headers").has("cookie")).isFalse();
	}

	@Test
	void aRelativeUrlReachesTheApplicationsOwnControllers() {
		this.client.get().uri("/self/controller").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).isEqualTo("\"from a controller\"");
	}

}
