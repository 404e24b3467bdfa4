package dev.webpipe.middleware.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.r2dbc.pool.ConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.pg.PgConnections;
import dev.webpipe.middleware.pg.PgMiddleware;
import dev.webpipe.testing.DocsExamples;
import dev.webpipe.testing.Programs;
import dev.webpipe.testing.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of docs/middleware/auth.md: its SQL creates the tables (in a schema of their own
 * on the {@link TestDatabase}), every {@code wp} block compiles, and the first one answers as the
 * page says.
 */
class AuthDocsExamplesTest {

	private static final String SCHEMA = "wp_auth_docs";

	private static ConnectionPool pool;

	private static PasswordHasher hasher;

	@BeforeAll
	static void createTables() throws IOException {
		AuthTestSupport.createSchema(SCHEMA);
		pool = AuthTestSupport.pool(SCHEMA);
		hasher = new PasswordHasher(2, 8);
	}

	@AfterAll
	static void dropTables() {
		pool.dispose();
		hasher.close();
		AuthTestSupport.dropSchema(SCHEMA);
	}

	@Test
	void everyExampleCompiles() throws IOException {
		List<DocsExamples.Block> blocks = DocsExamples.blocks(AuthTestSupport.DOC);
		assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
		for (DocsExamples.Block block : blocks) {
			assertThat(compile(block.text()).routes()).as(block.name()).isNotEmpty();
		}
	}

	@Test
	void theFirstExampleAnswersAsDocumented() throws IOException {
		WebTestClient client = AuthTestSupport.patient(Programs.client(
				compile(DocsExamples.blocks(AuthTestSupport.DOC).get(0).text()), null, Set.of()));
		String registered = body(client.post().uri("/register").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"login\":\"ada\",\"email\":\"ada@example.com\",\"password\":\"correct horse\"}")
			.exchange().expectStatus().isCreated().expectBody().returnResult());
		assertThat(registered).matches("\\{\"id\":\\d+,\"login\":\"ada\",\"message\":\"User registration successful\"}");
		client.post().uri("/register").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"login\":\"ada\",\"email\":\"ada@example.com\",\"password\":\"x\"}")
			.exchange().expectStatus().isBadRequest().expectBody().json("{\"error\":\"User already exists\"}", true);
		client.post().uri("/login").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"login\":\"ada\",\"password\":\"wrong\"}")
			.exchange().expectStatus().isUnauthorized().expectBody().json("{\"error\":\"Invalid credentials\"}", true);
		EntityExchangeResult<byte[]> login = client.post().uri("/login").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"login\":\"ada\",\"password\":\"correct horse\"}")
			.exchange().expectStatus().isOk().expectBody().returnResult();
		assertThat(body(login)).matches("\\{\"user\":\\{\"id\":\\d+,\"login\":\"ada\",\"email\":\"ada@example.com\","
				+ "\"type\":\"local\",\"status\":\"active\"}}");
		String cookie = login.getResponseHeaders().getFirst("Set-Cookie");
		assertThat(cookie).matches("wp_session=[0-9a-f]{64}; HttpOnly; SameSite=Lax; Path=/; Max-Age=86400");
		String session = cookie.substring(0, cookie.indexOf(';'));
		client.get().uri("/me").header("Cookie", session).exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.login").isEqualTo("ada").jsonPath("$.type").isEqualTo("local");
		client.get().uri("/me").exchange().expectStatus().isUnauthorized().expectBody()
			.jsonPath("$.errors[0].message").isEqualTo("Authentication required");
		client.get().uri("/admin/users").header("Cookie", session).exchange().expectStatus().isUnauthorized()
			.expectBody().jsonPath("$.errors[0].message").isEqualTo("Insufficient permissions");
		client.get().uri("/welcome").exchange().expectStatus().isOk().expectBody()
			.json("{\"greeting\":\"Hello, stranger\"}", true);
		client.get().uri("/welcome").header("Cookie", session).exchange().expectStatus().isOk().expectBody()
			.json("{\"greeting\":\"Hello, ada\"}", true);
		client.post().uri("/logout").header("Cookie", session).exchange().expectStatus().isOk()
			.expectHeader().valueEquals("Set-Cookie", "wp_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
			.expectBody().json("{\"message\":\"Logged out\"}", true);
		client.get().uri("/me").header("Cookie", session).exchange().expectStatus().isUnauthorized().expectBody()
			.jsonPath("$.errors[0].message").isEqualTo("Invalid session");
	}

	private static CompiledProgram compile(String wp) {
		PgConnections connections = PgConnections.of(pool);
		List<Middleware> middleware = new ArrayList<>(
				List.of(new PgMiddleware(connections), new AuthMiddleware(connections, hasher)));
		if (Programs.registry().find("rateLimit").isEmpty()) {
			middleware.add(new PassThrough("rateLimit"));
		}
		return AuthTestSupport.compile(wp, middleware);
	}

	private static String body(EntityExchangeResult<byte[]> result) {
		return new String(result.getResponseBodyContent(), StandardCharsets.UTF_8);
	}

	/** Stands in for a middleware that this module does not register yet; the state passes unchanged. */
	private record PassThrough(String name) implements Middleware {

		@Override
		public Behavior behavior() {
			return Behavior.READ_ONLY;
		}

		@Override
		public int maxInlineArguments() {
			return 1;
		}

		@Override
		public dev.webpipe.middleware.ExecutableStep compile(dev.webpipe.middleware.StepDefinition definition) {
			return (input) -> Mono.just(StepResult.of(input.state()));
		}

	}

}
