package dev.webpipe.web;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.middleware.Json;
import dev.webpipe.testing.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server reveals and how it holds, through real HTTP with the default {@code webpipe.errors.include-details}
 * ({@code never}): error bodies, request-reading errors, log redaction, exact big integers (bound as {@code numeric}
 * by a real PostgreSQL), the codec limit of Boot 4's property, and slow or idle connections.
 */
@SpringBootTest(classes = ExposureHttpTest.ExposureApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "webpipe.routes-location=classpath:/exposure/", "spring.http.codecs.max-in-memory-size=300KB",
				"server.netty.idle-timeout=1s" })
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class ExposureHttpTest {

	/** Words that name the implementation rather than the input. */
	private static final String[] INTERNALS = { "com.fasterxml", "jackson", "JsonNode", "Exception", "Feature",
			"Constraints", "FAIL_ON", "java.", "dev.webpipe", ".wp", "SELECT", "no_such_table" };

	@SpringBootApplication
	static class ExposureApplication {

	}

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.registerPgConfig(registry);
	}

	private WebTestClient client;

	@LocalServerPort
	private int port;

	@Autowired
	void client(WebTestClient client) {
		// the first pg request may wait for the database to start
		this.client = client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
	}

	private EntityExchangeResult<byte[]> post(String body) {
		return this.client.post()
			.uri("/echo")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectBody()
			.returnResult();
	}

	private static String text(EntityExchangeResult<byte[]> result) {
		byte[] bytes = result.getResponseBody();
		return (bytes != null) ? new String(bytes, StandardCharsets.UTF_8) : "";
	}

	private static String nested(int depth) {
		return "[".repeat(depth) + "]".repeat(depth);
	}

	// ---- request-reading errors name the position, never a class or a library setting -----------------------------

	@Test
	void twoJsonValuesAreOneMalformedBody() {
		EntityExchangeResult<byte[]> result = post("{\"a\":1}{\"b\":2}");
		assertThat(result.getStatus().value()).isEqualTo(400);
		JsonNode error = Json.parse(text(result)).get("errors").get(0);
		assertThat(error.get("type").textValue()).isEqualTo("validationError");
		assertThat(error.get("message").textValue())
			.isEqualTo("Request body is not valid JSON: unexpected content after the JSON value (line 1, column 8)");
	}

	@Test
	void deepNestingIsRefusedAtReadTimeWithAPlainMessage() {
		for (int depth : new int[] { 501, 1000, 100_000 }) {
			EntityExchangeResult<byte[]> result = post(nested(depth));
			assertThat(result.getStatus().value()).as("depth %d", depth).isEqualTo(400);
			assertThat(text(result)).as("depth %d", depth)
				.contains("Request body is not valid JSON: nested deeper than 500 levels (line 1, column 501)")
				.doesNotContain(INTERNALS);
		}
	}

	@Test
	void whatTheReaderAcceptsTheWriterWrites() {
		EntityExchangeResult<byte[]> result = post(nested(500));
		assertThat(result.getStatus().value()).isEqualTo(200);
		assertThat(text(result)).isEqualTo("{\"got\":" + nested(500) + "}");
	}

	@Test
	void nonStandardJsonIsMalformedWithoutNamingParserSettings() {
		for (String body : new String[] { "{\"a\":NaN}", "{\"a\":1 /* c */}", "{'a':1}", "{\"a\":01}", "[1,]",
				"{\"a\":\"\u0001\"}" }) {
			EntityExchangeResult<byte[]> result = post(body);
			assertThat(result.getStatus().value()).as(body).isEqualTo(400);
			assertThat(text(result)).as(body).contains("Request body is not valid JSON: ").contains("(line 1, column")
				.doesNotContain(INTERNALS).doesNotContain("`", "ALLOW_", "enable");
		}
	}

	// ---- Boot 4's codec limit -------------------------------------------------------------------------------------

	@Test
	void theBodyLimitIsBoot4sProperty() {
		String under = "\"" + "x".repeat(290 * 1024) + "\"";
		assertThat(post(under).getStatus().value()).isEqualTo(200);
		String over = "\"" + "x".repeat(310 * 1024) + "\"";
		EntityExchangeResult<byte[]> result = post(over);
		assertThat(result.getStatus().value()).isEqualTo(413);
		assertThat(text(result)).contains("\"rule\":\"size\"").contains("307200 bytes");
	}

	// ---- unhandled and fatal errors -------------------------------------------------------------------------------

	@Test
	void anUnhandledSqlErrorShowsItsTypeAGenericMessageAndTheRequestId(CapturedOutput output) {
		EntityExchangeResult<byte[]> result = this.client.get().uri("/sql-failure").exchange().expectBody()
			.returnResult();
		assertThat(result.getStatus().value()).isEqualTo(500);
		JsonNode body = Json.parse(text(result));
		String id = body.get("requestId").textValue();
		assertThat(id).isNotBlank();
		assertThat(Json.write(body))
			.isEqualTo("{\"errors\":[{\"type\":\"sqlError\",\"message\":\"Internal error\"}],\"requestId\":\"" + id + "\"}");
		assertThat(output).contains("[" + id + "] GET /sql-failure").contains("no_such_table_exposure");
	}

	@Test
	void aTaskKeepsItsName() {
		EntityExchangeResult<byte[]> result = this.client.get().uri("/task-failure").exchange().expectBody()
			.returnResult();
		assertThat(result.getStatus().value()).isEqualTo(500);
		JsonNode error = Json.parse(text(result)).get("errors").get(0);
		assertThat(Json.write(error)).isEqualTo("{\"type\":\"sqlError\",\"message\":\"Internal error\",\"task\":\"lookup\"}");
	}

	@Test
	void clientFacingErrorsKeepTheirFields() {
		EntityExchangeResult<byte[]> result = this.client.get().uri("/rejected").exchange().expectBody()
			.returnResult();
		assertThat(result.getStatus().value()).isEqualTo(400);
		JsonNode body = Json.parse(text(result));
		assertThat(Json.write(body.get("errors"))).isEqualTo("[{\"type\":\"validationError\",\"field\":\"name\","
				+ "\"rule\":\"required\",\"message\":\"name is required\"}]");
		assertThat(body.get("requestId").textValue()).isNotBlank();
	}

	@Test
	void aFatalErrorShowsNoDetailsButTheRequestId(CapturedOutput output) {
		EntityExchangeResult<byte[]> result = this.client.get().uri("/too-deep").exchange().expectBody()
			.returnResult();
		assertThat(result.getStatus().value()).isEqualTo(500);
		JsonNode body = Json.parse(text(result));
		String id = body.path("requestId").textValue();
		assertThat(id).isNotBlank();
		assertThat(Json.write(body))
			.isEqualTo("{\"error\":\"Pipeline execution failed\",\"requestId\":\"" + id + "\"}");
		assertThat(output).contains("[" + id + "] Pipeline execution failed for GET /too-deep")
			.contains("JSON nested deeper than 1000 levels cannot be written");
	}

	// ---- exact big integers ---------------------------------------------------------------------------------------

	@Test
	void integersBeyond64BitsStayExact() {
		this.client.get()
			.uri("/ids/98765432109876543210?id=12345678901234567890")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("{\"query\":12345678901234567890,\"param\":98765432109876543210}");
	}

	@Test
	void pgBindsIntegersBeyond64BitsAsNumeric() {
		this.client.get()
			.uri("/numeric/12345678901234567890")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("{\"value\":12345678901234567890,\"type\":\"numeric\",\"exact\":true}");
	}

	// ---- redaction in log and debug -------------------------------------------------------------------------------

	@Test
	void logAndDebugWriteCredentialsAsStars(CapturedOutput output) {
		EntityExchangeResult<byte[]> result = this.client.get()
			.uri("/logged")
			.header("Authorization", "Bearer token-secret")
			.header("Cookie", "sid=cookie-secret; theme=dark")
			.header("X-Api-Key", "key-secret")
			.header("X-Visible", "plain-value")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult();
		// the response itself is untouched
		assertThat(result.getResponseHeaders().getFirst("X-Api-Key")).isEqualTo("api-secret");
		assertThat(result.getResponseHeaders().getFirst("Set-Cookie")).isEqualTo("sid=session-secret; Path=/; HttpOnly");
		String logged = output.getAll();
		assertThat(logged).contains("before", "after", "\"duration_ms\"", "plain-value", "visible",
				"sid=***; Path=/; HttpOnly", "\"authorization\" : \"***\"", "\"authorization\":\"***\"");
		assertThat(logged).doesNotContain("token-secret", "cookie-secret", "key-secret", "session-secret", "api-secret",
				"dark");
	}

	// ---- slow and idle connections ---------------------------------------------------------------------------------

	@Test
	void anIdleConnectionIsClosed() throws Exception {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.setSoTimeout(20_000);
			long start = System.nanoTime();
			assertThat(readUntilClosed(socket.getInputStream())).isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
		}
	}

	@Test
	void aTrickledHeaderIsClosedAtTheIdleTimeout() throws Exception {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.setSoTimeout(200);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write("GET /ids/1 HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
			long start = System.nanoTime();
			boolean closed = false;
			// one header byte every 200 ms, never complete: bytes that make no request do not count as activity
			while (!closed && System.nanoTime() - start < Duration.ofSeconds(20).toNanos()) {
				try {
					out.write('X');
					out.flush();
					closed = in.read() == -1;
				}
				catch (SocketTimeoutException stillOpen) {
					// nothing to read yet
				}
				catch (SocketException reset) {
					closed = true;
				}
			}
			assertThat(closed).isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
		}
	}

	@Test
	void aKeptAliveConnectionServesRequestsUnderTheTimeouts() throws Exception {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.setSoTimeout(10_000);
			for (int i = 0; i < 2; i++) {
				socket.getOutputStream()
					.write("GET /ids/7 HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				String response = readResponse(socket.getInputStream());
				assertThat(response).startsWith("HTTP/1.1 200").endsWith("{\"query\":null,\"param\":7}");
			}
		}
	}

	private static boolean readUntilClosed(InputStream in) throws Exception {
		try {
			while (in.read() != -1) {
				// drain
			}
			return true;
		}
		catch (SocketException reset) {
			return true;
		}
	}

	/** One response with a Content-Length body. */
	private static String readResponse(InputStream in) throws Exception {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int c = in.read();
			if (c == -1) {
				break;
			}
			head.append((char) c);
		}
		int length = 0;
		for (String line : head.toString().split("\r\n")) {
			if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring(15).trim());
			}
		}
		byte[] body = in.readNBytes(length);
		return head + new String(body, StandardCharsets.UTF_8);
	}

}
