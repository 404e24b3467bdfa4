package dev.webpipe.http;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.ExecutionGraphQlService;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.middleware.graphql.GraphqlMiddleware;
import dev.webpipe.middleware.http.OutboundHttp;
import dev.webpipe.middleware.Json;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code graphql} against a real Spring GraphQL schema: over HTTP through
 * {@code webpipe.graphql.endpoint} (this application's own {@code /graphql}), and in-process
 * through the application's {@link ExecutionGraphQlService}.
 */
class GraphqlApplicationTest extends HttpApplicationTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private ExecutionGraphQlService service;

	@Autowired
	private OutboundHttp http;

	// ---- over HTTP, through webpipe.graphql.endpoint ------------------------------------------

	@Test
	void theResultValueIsTheDataObjectAndInlineVariablesAreSent() {
		assertThat(get(this.client, "/gql/hello?name=Ada", 200).toString())
			.isEqualTo("{\"data\":{\"hello\":\"Hello, Ada\"}}");
	}

	@Test
	void graphqlParamsAreTheVariablesAndAVariableNamesTheResult() {
		assertThat(get(this.client, "/gql/users/7", 200).toString())
			.isEqualTo("{\"user\":{\"id\":\"7\",\"name\":\"User 7\"}}");
	}

	@Test
	void aNamedResultGoesUnderDataAndKeepsTheState() {
		JsonNode body = get(this.client, "/gql/named", 200);
		assertThat(body.get("data").toString()).isEqualTo("{\"greeting\":{\"hello\":\"Hello, world\"}}");
		assertThat(body.get("keep").intValue()).isEqualTo(1);
	}

	@Test
	void anUnnamedResultReplacesTheStateWithData() {
		JsonNode body = get(this.client, "/gql/unnamed", 200);
		assertThat(body.get("data").toString()).isEqualTo("{\"hello\":\"Hello, world\"}");
		assertThat(body.get("keys").toString()).doesNotContain("keep");
	}

	@Test
	void graphqlErrorsBecomeTypedErrorsAndPartialDataIsDiscarded() {
		JsonNode body = get(this.client, "/gql/errors", 500);
		assertThat(body.get("errors")).hasSize(1);
		JsonNode error = body.get("errors").get(0);
		assertThat(error.get("type").asText()).isEqualTo("graphqlError");
		assertThat(error.get("message").asText()).isNotBlank();
		assertThat(error.get("path").toString()).isEqualTo("[\"boom\"]");
		assertThat(error.get("locations").toString()).isEqualTo("[{\"line\":1,\"column\":3}]");
		assertThat(error.get("extensions").get("classification").asText()).isEqualTo("INTERNAL_ERROR");
		assertThat(body.has("data")).isFalse();
	}

	@Test
	void aDocumentThatDoesNotParseIsAGraphqlErrorFromTheServer() {
		JsonNode error = get(this.client, "/gql/invalid", 500).get("errors").get(0);
		assertThat(error.get("type").asText()).isEqualTo("graphqlError");
		assertThat(error.get("message").asText()).containsIgnoringCase("invalid syntax");
	}

	@Test
	void variablesThatAreNotAnObjectAreAGraphqlError() {
		JsonNode error = get(this.client, "/gql/bad-variables", 500).get("errors").get(0);
		assertThat(error.get("type").asText()).isEqualTo("graphqlError");
		assertThat(error.get("message").asText())
			.isEqualTo("graphql argument 0 must evaluate to an object, got: string");
		assertThat(error.get("step").asText()).isEqualTo("graphql");
	}

	@Test
	void aSlowRemoteCallIsATimeoutError() {
		long start = System.nanoTime();
		JsonNode error = get(this.client, "/gql/slow", 504).get("errors").get(0);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(4500));
		assertThat(error.toString()).isEqualTo("{\"type\":\"timeoutError\",\"message\":\"Request timed out after 2s\","
				+ "\"url\":\"" + endpoint() + "\"}");
	}

	@Test
	void remoteCallsCarryNoState() {
		assertThat(get(this.client, "/gql/state", 200).toString()).isEqualTo("{\"data\":{\"stateEcho\":null}}");
	}

	// ---- target order -------------------------------------------------------------------------

	@Test
	void inProcessCallsPutTheStateIntoTheGraphqlContext() {
		WebTestClient inProcess = serve(new GraphqlMiddleware(() -> this.http, null, () -> this.service),
				"GET /in/:who\n  |> graphql: `{ stateEcho }`\n");
		assertThat(get(inProcess, "/in/ada", 200).toString()).isEqualTo("{\"data\":{\"stateEcho\":\"ada\"}}");
	}

	@Test
	void inProcessCallsReportDataVariablesAndErrors() {
		WebTestClient inProcess = serve(new GraphqlMiddleware(() -> this.http, null, () -> this.service), """
				GET /hello
				  |> graphql({ name: "Lin" }): `query ($name: String) { hello(name: $name) }`
				GET /boom
				  |> graphql: `{ boom }`
				GET /invalid
				  |> graphql: `{ ... }`
				""");
		assertThat(get(inProcess, "/hello", 200).toString()).isEqualTo("{\"data\":{\"hello\":\"Hello, Lin\"}}");
		JsonNode boom = get(inProcess, "/boom", 500).get("errors").get(0);
		assertThat(boom.get("type").asText()).isEqualTo("graphqlError");
		assertThat(boom.get("path").toString()).isEqualTo("[\"boom\"]");
		assertThat(get(inProcess, "/invalid", 500).get("errors").get(0).get("message").asText())
			.containsIgnoringCase("invalid syntax");
	}

	@Test
	void aRelativeEndpointPropertyIsIgnored() {
		WebTestClient client = serve(new GraphqlMiddleware(() -> this.http, "/graphql", () -> this.service),
				"GET /in/:who\n  |> graphql: `{ stateEcho }`\n");
		assertThat(get(client, "/in/ada", 200).toString()).as("in-process")
			.isEqualTo("{\"data\":{\"stateEcho\":\"ada\"}}");
	}

	@Test
	void theConfigBlockEndpointComesBeforeTheApplicationsSchema() {
		WebTestClient client = serve(new GraphqlMiddleware(() -> this.http, null, () -> this.service),
				"config graphql {\n  endpoint: \"" + endpoint() + "\"\n}\nGET /in/:who\n  |> graphql: `{ stateEcho }`\n");
		assertThat(get(client, "/in/ada", 200).toString()).as("remote: no state")
			.isEqualTo("{\"data\":{\"stateEcho\":null}}");
	}

	@Test
	void theEndpointPropertyComesBeforeTheConfigBlock() {
		String closed = "http://127.0.0.1:" + closedPort() + "/graphql";
		WebTestClient client = serve(new GraphqlMiddleware(() -> this.http, endpoint(), () -> this.service),
				"config graphql {\n  endpoint: \"" + closed + "\"\n}\nGET /a\n  |> graphql: `{ hello }`\n");
		assertThat(get(client, "/a", 200).toString()).isEqualTo("{\"data\":{\"hello\":\"Hello, world\"}}");
	}

	// ---- remote transport failures ------------------------------------------------------------

	@Test
	void anUnreachableEndpointIsANetworkError() {
		String closed = "http://127.0.0.1:" + closedPort() + "/graphql";
		WebTestClient client = serve(new GraphqlMiddleware(() -> this.http, closed, () -> null),
				"GET /a\n  |> graphql: `{ hello }`\n");
		JsonNode error = get(client, "/a", 502).get("errors").get(0);
		assertThat(error.get("type").asText()).isEqualTo("networkError");
		assertThat(error.get("url").asText()).isEqualTo(closed);
		assertThat(error.get("message").asText()).startsWith("Connection refused");
	}

	@Test
	void aNon2xxResponseWithoutAGraphqlBodyIsAnHttpError() {
		String missing = "http://127.0.0.1:" + PORT + "/no-graphql-here";
		WebTestClient client = serve(new GraphqlMiddleware(() -> this.http, missing, () -> null),
				"GET /a\n  |> graphql: `{ hello }`\n");
		JsonNode error = get(client, "/a", 502).get("errors").get(0);
		assertThat(error.get("type").asText()).isEqualTo("httpError");
		assertThat(error.get("status").intValue()).isEqualTo(404);
		assertThat(error.get("url").asText()).isEqualTo(missing);
	}

	@Test
	void a2xxResponseThatIsNotGraphqlIsANetworkError() {
		String plain = "http://127.0.0.1:" + PORT + "/plain-controller";
		WebTestClient client = serve(new GraphqlMiddleware(() -> this.http, plain, () -> null),
				"GET /a\n  |> graphql: `{ hello }`\n");
		JsonNode error = get(client, "/a", 502).get("errors").get(0);
		assertThat(error.toString()).isEqualTo("{\"type\":\"networkError\",\"message\":"
				+ "\"Not a GraphQL response (status 200): from a controller\",\"url\":\"" + plain + "\"}");
	}

	@Test
	void aRemoteBodyLargerThanTheLimitIsANetworkError() {
		OutboundHttp small = OutboundHttp.create(WebClient.builder(), Duration.ofSeconds(5), DataSize.ofBytes(64));
		WebTestClient client = serve(new GraphqlMiddleware(() -> small, endpoint(), () -> null),
				"GET /a\n  |> graphql: `{ user(id: \"1\") { id name tags } }`\n");
		JsonNode error = get(client, "/a", 502).get("errors").get(0);
		assertThat(error.get("type").asText()).isEqualTo("networkError");
		assertThat(error.get("message").asText()).startsWith("Failed to read response body: ");
	}

	// ---- helpers ------------------------------------------------------------------------------

	private static String endpoint() {
		return "http://127.0.0.1:" + PORT + "/graphql";
	}

	private static int closedPort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
				java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static WebTestClient serve(GraphqlMiddleware graphql, String wp) {
		CompiledProgram program = Programs.compile("graphql.wp", wp, List.of(graphql));
		return Programs.client(program).mutate().responseTimeout(Duration.ofSeconds(30)).build();
	}

	private static JsonNode get(WebTestClient client, String path, int status) {
		EntityExchangeResult<byte[]> result = client.get().uri(path).exchange().expectBody().returnResult();
		String text = new String(result.getResponseBodyContent(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(result.getStatus().value()).as(text).isEqualTo(status);
		return Json.parse(text);
	}

}
