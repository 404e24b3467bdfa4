package dev.webpipe.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.autoconfigure.DetachedTaskLifecycle;
import dev.webpipe.middleware.Json;
import dev.webpipe.testing.CountingStub;
import dev.webpipe.testing.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attacks on outbound safety, each through real HTTP against this application with ordinary
 * routes ({@code outbound-app/outbound.wp}), the real (embedded) PostgreSQL and real upstreams on
 * loopback, with small budgets in this one context: SQL that is abandoned or too long is cancelled
 * in PostgreSQL ({@code pg_stat_activity} shows it), refused hosts are never reached (a stub counts
 * its requests), and fire-and-forget work or {@code foreach} cannot starve or amplify.
 */
@SpringBootTest(classes = OutboundSafetyHttpTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "webpipe.pg.statement-timeout=8s", "webpipe.async.task-timeout=3s",
				"webpipe.async.max-detached=8", "webpipe.fetch.max-connections=16", "webpipe.foreach.max-items=50",
				"webpipe.fetch.default-timeout=5s", "webpipe.config.pg.maxPoolSize=4",
				"webpipe.config.pg.initialPoolSize=0" })
@AutoConfigureWebTestClient(timeout = "30s")
class OutboundSafetyHttpTest {

	/** Statements that must be cancelled long before the statement timeout (8 s) could end them. */
	private static final Duration CANCELLED_WITHIN = Duration.ofSeconds(3);

	static final CountingStub upstream = new CountingStub();

	static final CountingStub forbidden = new CountingStub();

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.registerPgConfig(registry);
		registry.add("webpipe.routes-location", () -> routes().toUri() + "/");
		registry.add("webpipe.fetch.allowed-hosts", () -> "127.0.0.1:" + upstream.port());
		registry.add("webpipe.fetch.denied-hosts", () -> "127.0.0.1:" + forbidden.port());
	}

	/** The routes with the upstreams' addresses, in a folder of their own. */
	private static Path routes() {
		try (InputStream in = OutboundSafetyHttpTest.class.getResourceAsStream("/outbound-app/outbound.wp")) {
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{{up}}", upstream.base())
				.replace("{{forbidden}}", forbidden.base());
			Path folder = Files.createTempDirectory("webpipe-outbound");
			Files.writeString(folder.resolve("outbound.wp"), text);
			folder.toFile().deleteOnExit();
			folder.resolve("outbound.wp").toFile().deleteOnExit();
			return folder;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@AfterAll
	static void stop() {
		upstream.close();
		forbidden.close();
	}

	@Autowired
	private WebTestClient client;

	@Autowired
	private DetachedTaskLifecycle detached;

	@Autowired
	private MeterRegistry meters;

	@LocalServerPort
	private int port;

	// ---- 1. SQL: a timeout, and a cancel whenever a statement is abandoned ------------------

	@Test
	void aStatementLongerThanTheTimeoutIsCancelledInPostgresqlAndAnswers504() {
		EntityExchangeResult<byte[]> result = get("/sql/statement-timeout");
		JsonNode error = Json.parse(result.getResponseBodyContent()).get("errors").get(0);
		assertThat(result.getStatus().value()).as(error.toString()).isEqualTo(504);
		assertThat(error.get("type").asText()).isEqualTo("timeoutError");
		assertThat(error.get("sqlstate").asText()).isEqualTo("57014");
		awaitNotRunning("wp-statement-timeout");
	}

	@Test
	void aTaskTimeoutCancelsItsStatementInPostgresql() {
		EntityExchangeResult<byte[]> result = get("/sql/task-timeout");
		JsonNode body = Json.parse(result.getResponseBodyContent());
		assertThat(result.getStatus().value()).as(body.toString()).isEqualTo(504);
		assertThat(body.get("errors").get(0).get("type").asText()).isEqualTo("timeoutError");
		awaitNotRunning("wp-task-timeout");
	}

	@Test
	void aClientThatGoesAwayCancelsTheStatementOfAStepOfATaskAndOfLuasExecuteSql() {
		for (String route : List.of("abandoned", "abandoned-task", "lua-abandoned")) {
			String marker = "wp-" + route;
			String path = route.startsWith("lua") ? "/lua/abandoned" : "/sql/" + route;
			Disposable request = abandonLater(path);
			awaitRunning(marker);
			request.dispose();
			awaitNotRunning(marker);
		}
	}

	@Test
	void requestsAbandonedByTheDozenDoNotExhaustThePool() {
		List<Disposable> requests = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			requests.add(abandonLater("/sql/abandoned"));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> TestDatabase.running("wp-abandoned") >= 4);
		requests.forEach(Disposable::dispose);
		long start = System.nanoTime();
		this.client.get().uri("/sql/quick").exchange().expectStatus().isOk().expectBody()
			.json("{\"data\":{\"rows\":[{\"one\":1}],\"rowCount\":1}}");
		// with the pool of 4 held by pg_sleep(60), this would wait for the statement timeout (8 s)
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CANCELLED_WITHIN);
		awaitNotRunning("wp-abandoned");
	}

	// ---- 2. outbound host rules ------------------------------------------------------------

	@Test
	void aUrlFromTheRequestCannotReachADeniedHostOrAnUnlistedPort() {
		int before = forbidden.hits();
		for (String url : List.of(forbidden.base() + "/secret", "http://127.0.0.1:" + this.port + "/sql/quick",
				"http://localhost:" + upstream.port() + "/json")) {
			JsonNode error = proxyError(url);
			assertThat(error.get("type").asText()).as(url).isEqualTo("networkError");
			assertThat(error.get("message").asText()).as(url).startsWith("Host not allowed: ");
		}
		assertThat(forbidden.hits()).isEqualTo(before);
	}

	@Test
	void aRedirectToADeniedHostIsRefusedAtThatHop() {
		int before = forbidden.hits();
		String url = upstream.base() + "/redirect?to="
				+ URLEncoder.encode(forbidden.base() + "/admin", StandardCharsets.UTF_8);
		JsonNode error = proxyError(url);
		assertThat(error.get("message").asText()).isEqualTo("Host not allowed: 127.0.0.1");
		assertThat(error.get("url").asText()).isEqualTo(url);
		assertThat(forbidden.hits()).isEqualTo(before);
	}

	@Test
	void aRequestBodyMergedIntoTheStateCannotRedirectAHardCodedCall() {
		int before = forbidden.hits();
		JsonNode body = Json.parse(this.client.post().uri("/mirror")
			.header("Content-Type", "application/json")
			.bodyValue("{\"fetchUrl\":\"" + forbidden.base() + "/delete-everything\",\"fetchMethod\":\"DELETE\","
					+ "\"fetchHeaders\":{\"X-Admin\":\"1\"},\"fetchBody\":{\"all\":true}}")
			.exchange().expectStatus().isOk().expectBody().returnResult().getResponseBodyContent());
		JsonNode echo = body.get("data").get("response");
		assertThat(echo.get("method").asText()).isEqualTo("GET");
		assertThat(echo.get("uri").asText()).isEqualTo("/mirror/target");
		assertThat(echo.get("body").asText()).isEmpty();
		assertThat(forbidden.hits()).isEqualTo(before);
	}

	@Test
	void aPathParameterCannotClimbOutOfThePathTheRouteWrote() {
		int before = upstream.hits();
		for (String id : List.of("..%2F..%2Fadmin%3Fx=1", "%2e%2e%2fadmin", "..%252F..%252Fadmin", "..%5C..%5Cadmin")) {
			EntityExchangeResult<byte[]> result = this.client.get().uri("/users/" + id).exchange().expectBody()
				.returnResult();
			JsonNode body = Json.parse(result.getResponseBodyContent());
			assertThat(result.getStatus().value()).as(id + " " + body).isEqualTo(502);
			assertThat(body.get("errors").get(0).get("message").asText()).isEqualTo("Path traversal in URL");
		}
		assertThat(upstream.hits()).isEqualTo(before);
		this.client.get().uri("/users/42").exchange().expectStatus().isOk();
		assertThat(upstream.hits("/api/users/42")).isEqualTo(1);
	}

	@Test
	void relativeUrlsStillCallThisApplication() {
		JsonNode body = Json.parse(this.client.get().uri("/self").exchange().expectStatus().isOk().expectBody()
			.returnResult().getResponseBodyContent());
		assertThat(body.get("data").get("response").get("data").get("rowCount").asInt()).isEqualTo(1);
	}

	// ---- 3. pools and fan-out --------------------------------------------------------------

	@Test
	void fireAndForgetRequestsDoNotStarveAnotherRequestsJoinedCall() {
		HttpClient http = HttpClient.create().baseUrl("http://127.0.0.1:" + this.port);
		long refusedBefore = this.detached.tasks().refused();
		Long fired = Flux.range(0, 300)
			.flatMap((i) -> http.get().uri("/fire").responseContent().aggregate().asString(), 32)
			.count()
			.block(Duration.ofSeconds(120));
		assertThat(fired).isEqualTo(300);
		// The tasks of the last requests still hold connections to the upstream (16 at most) until
		// their 3 s task timeout; without max-detached (8) every pooled connection would be taken and
		// the bystander's joined call would queue behind them until its own task timed out.
		assertThat(this.detached.tasks().running()).isLessThanOrEqualTo(8);
		for (int i = 0; i < 3; i++) {
			long start = System.nanoTime();
			this.client.get().uri("/bystander").exchange().expectStatus().isOk().expectBody()
				.jsonPath("$.async.quick.data.response.late").isEqualTo(true);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		}
		assertThat(this.detached.tasks().refused() - refusedBefore).isPositive();
		assertThat(this.meters.get("webpipe.async.detached.refused").functionCounter().count())
			.isEqualTo(this.detached.tasks().refused());
	}

	@Test
	void foreachRefusesArraysLongerThanMaxItemsBeforeAnyCall() {
		int before = upstream.hits();
		StringBuilder items = new StringBuilder("[");
		for (int i = 0; i < 51; i++) {
			items.append((i > 0) ? "," : "").append("{\"id\":").append(i).append('}');
		}
		EntityExchangeResult<byte[]> result = this.client.post().uri("/fanout")
			.header("Content-Type", "application/json")
			.bodyValue("{\"items\":" + items + "]}")
			.exchange().expectBody().returnResult();
		JsonNode body = Json.parse(result.getResponseBodyContent());
		assertThat(body.get("errors").get(0).get("type").asText()).as(body.toString()).isEqualTo("foreachError");
		assertThat(body.get("errors").get(0).get("message").asText()).contains("51 items")
			.contains("webpipe.foreach.max-items (50)");
		assertThat(upstream.hits()).isEqualTo(before);
		this.client.post().uri("/fanout").header("Content-Type", "application/json")
			.bodyValue("{\"items\":[{\"id\":1},{\"id\":2}]}")
			.exchange().expectStatus().isOk().expectBody().jsonPath("$.calls").isEqualTo(2);
		assertThat(upstream.hits()).isEqualTo(before + 2);
	}

	// ---- helpers ----------------------------------------------------------------------------

	private EntityExchangeResult<byte[]> get(String path) {
		return this.client.get().uri(path).exchange().expectBody().returnResult();
	}

	private JsonNode proxyError(String url) {
		EntityExchangeResult<byte[]> result = this.client.get()
			.uri((builder) -> builder.path("/proxy").queryParam("url", "{url}").build(url))
			.exchange().expectBody().returnResult();
		JsonNode body = Json.parse(result.getResponseBodyContent());
		assertThat(result.getStatus().value()).as(body.toString()).isEqualTo(502);
		return body.get("errors").get(0);
	}

	/** A request on a connection of its own, closed when the returned handle is disposed. */
	private Disposable abandonLater(String path) {
		return HttpClient.newConnection().get().uri("http://127.0.0.1:" + this.port + path).response()
			.subscribe((response) -> { }, (ex) -> { });
	}

	private static void awaitRunning(String marker) {
		await().atMost(Duration.ofSeconds(10)).until(() -> TestDatabase.running(marker) > 0);
	}

	private static void awaitNotRunning(String marker) {
		await().atMost(CANCELLED_WITHIN).until(() -> TestDatabase.running(marker) == 0);
	}

}
