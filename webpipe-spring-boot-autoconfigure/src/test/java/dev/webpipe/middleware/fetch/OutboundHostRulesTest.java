package dev.webpipe.middleware.fetch;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.middleware.graphql.GraphqlMiddleware;
import dev.webpipe.middleware.http.OutboundHostRules;
import dev.webpipe.middleware.http.OutboundHttp;
import dev.webpipe.middleware.Json;
import dev.webpipe.testing.CountingStub;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code webpipe.fetch.deny-private-addresses} and the host lists against real upstreams on
 * loopback. Every refused call is checked against a stub that counts its requests: nothing reaches
 * it, and no traffic leaves loopback (the refused addresses are all loopback ones).
 */
class OutboundHostRulesTest {

	private static CountingStub listed;

	private static CountingStub other;

	private static OutboundHttp denyPrivate;

	private static OutboundHttp denyPrivateExceptListed;

	@BeforeAll
	static void start() {
		listed = new CountingStub();
		other = new CountingStub();
		denyPrivate = OutboundHttp.create(WebClient.builder(), Duration.ofSeconds(5), DataSize.ofKilobytes(64),
				OutboundHostRules.of(List.of(), List.of(), true), 8);
		denyPrivateExceptListed = OutboundHttp.create(WebClient.builder(), Duration.ofSeconds(5),
				DataSize.ofKilobytes(64), OutboundHostRules.of(List.of("127.0.0.1:" + listed.port()), List.of(), true), 8);
	}

	@AfterAll
	static void stop() {
		denyPrivate.close();
		denyPrivateExceptListed.close();
		listed.close();
		other.close();
	}

	@Test
	void privateAddressesAreRefusedAsLiteralsAndAfterDnsWithoutAConnection() {
		// localhost resolves through /etc/hosts: no DNS query leaves this machine
		for (String url : List.of(other.base() + "/x", "http://localhost:" + other.port() + "/x",
				"http://[::1]:" + other.port() + "/x",
				"http://0.0.0.0:" + other.port() + "/x")) {
			JsonNode error = fetchError(denyPrivate, url);
			assertThat(error.get("type").asText()).as(url).isEqualTo("networkError");
			assertThat(error.get("message").asText()).as(url).startsWith("Host not allowed: ");
			assertThat(error.get("url").asText()).isEqualTo(url);
		}
		assertThat(other.hits()).isZero();
	}

	@Test
	void aHostListedExactlyInAllowedHostsMayBePrivateButItsRedirectsAreChecked() {
		JsonNode ok = fetch(denyPrivateExceptListed, listed.base() + "/ok", 200);
		assertThat(ok.get("data").get("response").get("uri").asText()).isEqualTo("/ok");
		String hop = "http://localhost:" + other.port() + "/internal";
		JsonNode error = fetchError(denyPrivateExceptListed,
				listed.base() + "/redirect?to=" + URLEncoder.encode(hop, StandardCharsets.UTF_8));
		assertThat(error.get("message").asText()).isEqualTo("Host not allowed: localhost");
		assertThat(listed.hits("/redirect")).isEqualTo(1);
		assertThat(other.hits()).isZero();
	}

	@Test
	void exactEntriesMayResolveToPrivateAddressesAndWildcardEntriesMayNot() {
		OutboundHostRules rules = OutboundHostRules.of(List.of("127.0.0.1:" + listed.port()), List.of(), true);
		assertThat(rules.refusesAddress("localhost", other.port(), InetAddress.getLoopbackAddress())).isTrue();
		assertThat(rules.refusesAddress("127.0.0.1", listed.port(), InetAddress.getLoopbackAddress())).isFalse();
		OutboundHostRules wildcard = OutboundHostRules.of(List.of("*.example.test"), List.of(), true);
		assertThat(wildcard.refusesName("api.example.test", 443)).isFalse();
		assertThat(wildcard.refusesName("example.test", 443)).isTrue();
		assertThat(wildcard.refusesAddress("api.example.test", 443, InetAddress.getLoopbackAddress())).isTrue();
	}

	@Test
	void remoteGraphqlFollowsTheSameRules() {
		String endpoint = other.base() + "/graphql";
		CompiledProgram program = Programs.compile("graphql.wp", "GET /g\n  |> graphql: `{ hello }`\n",
				List.of(new GraphqlMiddleware(() -> denyPrivate, endpoint, () -> null)));
		EntityExchangeResult<byte[]> result = Programs.client(program).get().uri("/g").exchange().expectBody()
			.returnResult();
		JsonNode body = Json.parse(result.getResponseBodyContent());
		assertThat(body.get("errors").get(0).get("type").asText()).as(body.toString()).isEqualTo("networkError");
		assertThat(body.get("errors").get(0).get("message").asText()).isEqualTo("Host not allowed: 127.0.0.1");
		assertThat(other.hits()).isZero();
	}

	@Test
	void entriesThatAreNotHostsAreRefusedAtStartUp() {
		assertThatIllegalArgumentException().isThrownBy(() -> OutboundHostRules.of(List.of("http://x/"), List.of(), false))
			.withMessageContaining("webpipe.fetch.allowed-hosts");
		assertThatIllegalArgumentException().isThrownBy(() -> OutboundHostRules.of(List.of(), List.of("h:99999"), false))
			.withMessageContaining("webpipe.fetch.denied-hosts");
		OutboundHostRules rules = OutboundHostRules.of(List.of("[::1]:8080", "api.test"), List.of("bad.api.test"),
				false);
		assertThat(rules.refusesName("::1", 8080)).isFalse();
		assertThat(rules.refusesName("[::1]", 8081)).isTrue();
		assertThat(rules.refusesName("API.test.", 443)).isFalse();
		assertThat(rules.refusesName("bad.api.test", 443)).isTrue();
	}

	@Test
	void privateRangesAreRecognised() throws Exception {
		for (String address : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
				"100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1")) {
			assertThat(OutboundHostRules.isPrivate(InetAddress.getByName(address))).as(address).isTrue();
		}
		for (String address : List.of("8.8.8.8", "100.128.0.1", "2001:db8::1", "172.32.0.1")) {
			assertThat(OutboundHostRules.isPrivate(InetAddress.getByName(address))).as(address).isFalse();
		}
	}

	private static JsonNode fetchError(OutboundHttp http, String url) {
		JsonNode body = fetch(http, url, 502);
		assertThat(body.get("errors")).as(body.toString()).hasSize(1);
		return body.get("errors").get(0);
	}

	private static JsonNode fetch(OutboundHttp http, String url, int status) {
		CompiledProgram program = Programs.compile("fetch.wp", "GET /a\n  |> fetch(.query.url)\n",
				List.of(new FetchMiddleware(http)));
		WebTestClient client = Programs.client(program).mutate().responseTimeout(Duration.ofSeconds(30)).build();
		EntityExchangeResult<byte[]> result = client.get()
			.uri((builder) -> builder.path("/a").queryParam("url", "{url}").build(url))
			.exchange()
			.expectBody()
			.returnResult();
		String text = new String(result.getResponseBodyContent(), StandardCharsets.UTF_8);
		assertThat(result.getStatus().value()).as(text).isEqualTo(status);
		return Json.parse(text);
	}

}
