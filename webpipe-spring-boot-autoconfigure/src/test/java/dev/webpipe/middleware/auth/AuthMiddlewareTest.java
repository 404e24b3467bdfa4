package dev.webpipe.middleware.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.webpipe.language.LoadException;
import dev.webpipe.middleware.pg.PgConnections;
import dev.webpipe.middleware.Json;
import dev.webpipe.testing.Programs;
import dev.webpipe.testing.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code auth} middleware against a real PostgreSQL ({@link TestDatabase}) holding the tables of
 * docs/middleware/auth.md, with real Argon2id hashes, served through the router function. Sessions
 * expire on a clock the tests move.
 */
class AuthMiddlewareTest {

	private static final String SCHEMA = "wp_auth_test";

	private static final String EMPTY_SCHEMA = "wp_auth_empty";

	private static final String ROUTES = """
			config auth {
			  sessionTtl: 3600
			  cookieName: "sid"
			}

			POST /register
			  |> auth: register
			  |> result
			    ok(201):
			      |> jq: `{ user, message }`

			POST /login
			  |> auth: login
			  |> result
			    ok(200):
			      |> jq: `{ user, context: $context.user }`

			GET /me
			  |> auth: required
			  |> jq: `{ user, context: $context.user }`

			GET /admin
			  |> auth: "type:admin"
			  |> jq: `{ admin: .user.login }`

			GET /welcome
			  |> auth: optional
			  |> jq: `{ user: (.user // null), context: $context.user }`

			POST /logout
			  |> auth: logout
			  |> result
			    ok(200):
			      |> jq: `{ out: true, context: $context.user }`
			""";

	private static ConnectionPool pool;

	private static ConnectionPool emptyPool;

	private static PasswordHasher hasher;

	private static final AtomicInteger verifications = new AtomicInteger();

	private final AuthTestSupport.MovableClock clock = new AuthTestSupport.MovableClock();

	private WebTestClient client;

	@BeforeAll
	static void createTables() throws Exception {
		AuthTestSupport.createSchema(SCHEMA);
		AuthTestSupport.dropSchema(EMPTY_SCHEMA);
		TestDatabase.execute("CREATE SCHEMA " + EMPTY_SCHEMA);
		pool = AuthTestSupport.pool(SCHEMA);
		emptyPool = AuthTestSupport.pool(EMPTY_SCHEMA);
		PasswordEncoder argon2 = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
		PasswordEncoder counting = new PasswordEncoder() {

			@Override
			public String encode(CharSequence raw) {
				return argon2.encode(raw);
			}

			@Override
			public boolean matches(CharSequence raw, String encoded) {
				verifications.incrementAndGet();
				assertThat(Thread.currentThread().getName()).startsWith("webpipe-auth-hash-");
				return argon2.matches(raw, encoded);
			}

		};
		hasher = new PasswordHasher(counting, 2, 16);
	}

	@AfterAll
	static void dropTables() {
		pool.dispose();
		emptyPool.dispose();
		hasher.close();
		AuthTestSupport.dropSchema(SCHEMA);
		AuthTestSupport.dropSchema(EMPTY_SCHEMA);
	}

	@BeforeEach
	void emptyTables() {
		sql("DELETE FROM sessions", "DELETE FROM users");
		this.client = AuthTestSupport.client(ROUTES, PgConnections.of(pool), hasher, this.clock);
	}

	// ---- register ---------------------------------------------------------------------------

	@Test
	void registerCreatesAUserWithAnArgon2idHash() {
		JsonNode body = post("/register", "{\"login\":\"ada\",\"email\":\"ada@example.com\",\"password\":\"s3cret!\"}",
				201);
		assertThat(body.get("message").asText()).isEqualTo("User registration successful");
		JsonNode user = body.get("user");
		assertThat(user.get("id").isIntegralNumber()).isTrue();
		assertThat(Json.write(user)).isEqualTo("{\"id\":" + user.get("id") + ",\"login\":\"ada\","
				+ "\"email\":\"ada@example.com\",\"type\":\"local\",\"status\":\"active\"}");
		String hash = single("SELECT password_hash FROM users WHERE login = 'ada'");
		assertThat(hash).startsWith("$argon2id$v=19$m=16384,t=2,p=1$");
		assertThat(hash).doesNotContain("s3cret!");
	}

	@Test
	void registerRefusesATakenLoginOrEmailAndMissingFields() {
		register("ada", "ada@example.com", "pw-one");
		assertAuthError(post("/register", "{\"login\":\"ada\",\"email\":\"other@example.com\",\"password\":\"x\"}", 401),
				"User already exists");
		assertAuthError(post("/register", "{\"login\":\"other\",\"email\":\"ada@example.com\",\"password\":\"x\"}", 401),
				"User already exists");
		for (String body : List.of("{}", "{\"login\":\"bob\",\"email\":\"bob@example.com\"}",
				"{\"login\":\"bob\",\"email\":\"\",\"password\":\"x\"}",
				"{\"login\":42,\"email\":\"bob@example.com\",\"password\":\"x\"}", "[1,2]")) {
			assertAuthError(post("/register", body, 401), "Missing required fields: login, email, password");
		}
		assertThat(single("SELECT count(*)::text FROM users")).isEqualTo("1");
	}

	// ---- login ------------------------------------------------------------------------------

	@Test
	void loginStartsASessionAndSetsTheCookie() {
		long id = register("ada", "ada@example.com", "pw-one");
		EntityExchangeResult<byte[]> result = exchange("POST", "/login", "{\"login\":\"ada\",\"password\":\"pw-one\"}",
				null);
		assertThat(result.getStatus().value()).isEqualTo(200);
		String user = "{\"id\":" + id + ",\"login\":\"ada\",\"email\":\"ada@example.com\",\"type\":\"local\","
				+ "\"status\":\"active\"}";
		assertThat(body(result)).isEqualTo("{\"user\":" + user + ",\"context\":" + user + "}");
		List<String> cookies = result.getResponseHeaders().get("Set-Cookie");
		assertThat(cookies).hasSize(1);
		assertThat(cookies.get(0)).matches("sid=[0-9a-f]{64}; HttpOnly; SameSite=Lax; Path=/; Max-Age=3600");
		String token = token(cookies.get(0));
		assertThat(single("SELECT user_id::text FROM sessions WHERE token = '" + token + "'")).isEqualTo(String.valueOf(id));
		assertThat(single("SELECT expires_at::text FROM sessions WHERE token = '" + token + "'"))
			.isEqualTo("2030-01-01 01:00:00+00");
	}

	@Test
	void everyLoginGetsANewRandomToken() {
		register("ada", "ada@example.com", "pw-one");
		String first = login("ada", "pw-one");
		String second = login("ada", "pw-one");
		assertThat(first).isNotEqualTo(second);
		assertThat(single("SELECT count(*)::text FROM sessions")).isEqualTo("2");
	}

	@Test
	void loginAcceptsUsernameForLogin() {
		register("ada", "ada@example.com", "pw-one");
		JsonNode body = post("/login", "{\"username\":\"ada\",\"password\":\"pw-one\"}", 200);
		assertThat(body.at("/user/login").asText()).isEqualTo("ada");
	}

	@Test
	void wrongPasswordsUnknownLoginsAndInactiveUsersAreInvalidCredentials() {
		register("ada", "ada@example.com", "pw-one");
		register("bob", "bob@example.com", "pw-two");
		sql("UPDATE users SET status = 'disabled' WHERE login = 'bob'");
		sql("INSERT INTO users (login, email) VALUES ('nopass', 'nopass@example.com')");
		for (String body : List.of("{\"login\":\"ada\",\"password\":\"pw-two\"}",
				"{\"login\":\"nobody\",\"password\":\"pw-one\"}", "{\"login\":\"bob\",\"password\":\"pw-two\"}",
				"{\"login\":\"nopass\",\"password\":\"\\u0000\"}")) {
			assertAuthError(post("/login", body, 401), "Invalid credentials");
		}
		assertThat(single("SELECT count(*)::text FROM sessions")).isEqualTo("0");
	}

	@Test
	void anUnknownLoginStillVerifiesAPassword() {
		int before = verifications.get();
		assertAuthError(post("/login", "{\"login\":\"nobody\",\"password\":\"guess\"}", 401), "Invalid credentials");
		assertThat(verifications.get() - before).isEqualTo(1);
	}

	@Test
	void missingLoginOrPasswordIsRefusedWithoutTouchingTheDatabase() {
		int before = verifications.get();
		for (String body : List.of("{}", "{\"login\":\"ada\"}", "{\"password\":\"x\"}",
				"{\"login\":\"\",\"password\":\"x\"}", "{\"login\":\"ada\",\"password\":7}", "\"text\"")) {
			assertAuthError(post("/login", body, 401), "Missing login or password");
		}
		assertThat(verifications.get()).isEqualTo(before);
	}

	// ---- required, optional, type:<role> -------------------------------------------------------

	@Test
	void requiredAnswersTheUserOfAValidSession() {
		long id = register("ada", "ada@example.com", "pw-one");
		String token = login("ada", "pw-one");
		EntityExchangeResult<byte[]> result = exchange("GET", "/me", null, "sid=" + token);
		assertThat(result.getStatus().value()).isEqualTo(200);
		String user = "{\"id\":" + id + ",\"login\":\"ada\",\"email\":\"ada@example.com\",\"type\":\"local\"}";
		assertThat(body(result)).isEqualTo("{\"user\":" + user + ",\"context\":" + user + "}");
	}

	@Test
	void requiredRefusesMissingUnknownAndExpiredSessions() {
		register("ada", "ada@example.com", "pw-one");
		String token = login("ada", "pw-one");
		assertAuthError(get("/me", null, 401), "Authentication required");
		assertAuthError(get("/me", "other=" + token, 401), "Authentication required");
		assertAuthError(get("/me", "sid=" + "0".repeat(64), 401), "Invalid session");
		assertAuthError(get("/me", "sid='; DROP TABLE sessions; --", 401), "Invalid session");
		this.clock.advance(Duration.ofSeconds(3599));
		get("/me", "sid=" + token, 200);
		this.clock.advance(Duration.ofSeconds(1));
		assertAuthError(get("/me", "sid=" + token, 401), "Invalid session");
	}

	@Test
	void aDisabledUsersSessionStopsWorking() {
		register("ada", "ada@example.com", "pw-one");
		String token = login("ada", "pw-one");
		sql("UPDATE users SET status = 'disabled'");
		assertAuthError(get("/me", "sid=" + token, 401), "Invalid session");
	}

	@Test
	void typeRoleNeedsThatType() {
		register("ada", "ada@example.com", "pw-one");
		String token = login("ada", "pw-one");
		assertAuthError(get("/admin", null, 401), "Authentication required");
		assertAuthError(get("/admin", "sid=" + token, 401), "Insufficient permissions");
		sql("UPDATE users SET type = 'admin' WHERE login = 'ada'");
		assertThat(Json.write(get("/admin", "sid=" + token, 200))).isEqualTo("{\"admin\":\"ada\"}");
	}

	@Test
	void optionalNeverFails() {
		register("ada", "ada@example.com", "pw-one");
		String token = login("ada", "pw-one");
		assertThat(Json.write(get("/welcome", null, 200))).isEqualTo("{\"user\":null,\"context\":null}");
		assertThat(Json.write(get("/welcome", "sid=nope", 200))).isEqualTo("{\"user\":null,\"context\":null}");
		assertThat(get("/welcome", "sid=" + token, 200).at("/user/login").asText()).isEqualTo("ada");
		assertThat(get("/welcome", "sid=" + token, 200).at("/context/login").asText()).isEqualTo("ada");
	}

	// ---- logout -----------------------------------------------------------------------------

	@Test
	void logoutDeletesTheSessionAndClearsTheCookie() {
		register("ada", "ada@example.com", "pw-one");
		String token = login("ada", "pw-one");
		String other = login("ada", "pw-one");
		EntityExchangeResult<byte[]> result = exchange("POST", "/logout", "{}", "sid=" + token);
		assertThat(result.getStatus().value()).isEqualTo(200);
		assertThat(body(result)).isEqualTo("{\"out\":true,\"context\":null}");
		assertThat(result.getResponseHeaders().get("Set-Cookie"))
			.containsExactly("sid=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
		assertAuthError(get("/me", "sid=" + token, 401), "Invalid session");
		get("/me", "sid=" + other, 200);
		EntityExchangeResult<byte[]> anonymous = exchange("POST", "/logout", "{}", null);
		assertThat(anonymous.getStatus().value()).isEqualTo(200);
		assertThat(anonymous.getResponseHeaders().get("Set-Cookie"))
			.containsExactly("sid=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
	}

	@Test
	void logoutReplacesEarlierCookiesWhileLoginAppendsToThem() {
		register("ada", "ada@example.com", "pw-one");
		WebTestClient client = AuthTestSupport.client("""
				config auth { cookieSecure: true  cookieSameSite: "strict"  cookiePath: "/app"  cookieHttpOnly: false }
				POST /login
				  |> jq: `{ setCookies: ["theme=dark"] }`
				  |> auth: login
				POST /logout
				  |> jq: `{ setCookies: ["theme=dark"] }`
				  |> auth: logout
				""", PgConnections.of(pool), hasher, this.clock);
		EntityExchangeResult<byte[]> in = client.post().uri("/login").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"login\":\"ada\",\"password\":\"pw-one\"}").exchange().expectBody().returnResult();
		List<String> cookies = in.getResponseHeaders().get("Set-Cookie");
		assertThat(cookies).hasSize(2);
		assertThat(cookies.get(0)).isEqualTo("theme=dark");
		assertThat(cookies.get(1)).matches("wp_session=[0-9a-f]{64}; Secure; SameSite=Strict; Path=/app; Max-Age=604800");
		EntityExchangeResult<byte[]> out = client.post().uri("/logout").exchange().expectBody().returnResult();
		assertThat(out.getResponseHeaders().get("Set-Cookie"))
			.containsExactly("wp_session=; HttpOnly; Secure; SameSite=Strict; Path=/app; Max-Age=0");
	}

	// ---- failures ---------------------------------------------------------------------------

	@Test
	void missingTablesAreOneClearSqlError() {
		WebTestClient client = AuthTestSupport.client("""
				GET /me
				  |> auth: required
				  |> result
				    sqlError(503):
				      |> jq: `{ message: .errors[0].message, sqlstate: .errors[0].sqlstate }`
				GET /plain
				  |> auth: required
				""", PgConnections.of(emptyPool), hasher, this.clock);
		JsonNode body = Json.parse(client.get().uri("/me").cookie("wp_session", "abc").exchange()
			.expectStatus().isEqualTo(503).expectBody().returnResult().getResponseBodyContent());
		assertThat(body.get("sqlstate").asText()).isEqualTo("42P01");
		assertThat(body.get("message").asText()).startsWith("auth needs the tables users(id, login, email, "
				+ "password_hash, type, status) and sessions(user_id, token, expires_at) (relation \"sessions\" does not exist");
		String unhandled = new String(client.get().uri("/plain").cookie("wp_session", "abc").exchange()
			.expectStatus().isEqualTo(500).expectBody().returnResult().getResponseBodyContent(), StandardCharsets.UTF_8);
		assertThat(unhandled).contains("\"type\":\"sqlError\"", "\"sqlstate\":\"42P01\"").doesNotContain("SELECT");
	}

	@Test
	void tooManyHashesAtOnceFailWithAnAuthError() throws Exception {
		java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		PasswordEncoder blocking = new PasswordEncoder() {

			@Override
			public String encode(CharSequence raw) {
				return "x";
			}

			@Override
			public boolean matches(CharSequence raw, String encoded) {
				entered.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return false;
			}

		};
		try (PasswordHasher busy = new PasswordHasher(blocking, 1, 0)) {
			WebTestClient client = AuthTestSupport.client(ROUTES, PgConnections.of(pool), busy, this.clock);
			var first = Mono.fromCallable(() -> post(client, "/login", "{\"login\":\"a\",\"password\":\"b\"}"))
				.subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
				.toFuture();
			assertThat(entered.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
			assertAuthError(Json.parse(post(client, "/login", "{\"login\":\"a\",\"password\":\"b\"}")),
					"Too many login attempts");
			assertAuthError(Json.parse(post(client, "/register",
					"{\"login\":\"a\",\"email\":\"a@example.com\",\"password\":\"b\"}")), "Too many login attempts");
			release.countDown();
			assertAuthError(Json.parse(first.get(30, java.util.concurrent.TimeUnit.SECONDS)), "Invalid credentials");
		}
	}

	// ---- load time --------------------------------------------------------------------------

	@Test
	void anUnknownFlowIsALoadError() {
		for (String[] flow : new String[][] { { "signin", "signin" }, { "\"type:\"", "type:" },
				{ "\"Login\"", "Login" } }) {
			String wp = "GET /x\n  |> auth: " + flow[0] + "\n";
			assertThatExceptionOfType(LoadException.class)
				.isThrownBy(() -> AuthTestSupport.client(wp, PgConnections.of(pool), hasher, this.clock))
				.withMessageContaining("routes/auth.wp:2:12: auth: unknown flow '" + flow[1]
						+ "' (login, logout, register, required, optional, type:<t>)\n  |> auth: " + flow[0]
						+ "\n           ^");
		}
	}

	@Test
	void badConfigAuthValuesAndAMissingDatabaseAreLoadErrors() {
		// each reported at the offending key (line 1, column 15), where the block is bound at load time
		Map<String, String> cases = Map.of("config auth { cookieSameSite: \"sometimes\" }",
				"config auth: cookieSameSite must be Strict, Lax or None, got 'sometimes'",
				"config auth { sessionTtl: 0 }", "config auth: sessionTtl must be at least 1, got 0",
				"config auth { sessionTtl: \"soon\" }", "config auth: sessionTtl must be a whole number of seconds",
				"config auth { cookieName: \"a b\" }", "config auth: cookieName 'a b' is not a valid cookie name",
				"config auth { cookieTtl: 5 }", "unknown key 'cookieTtl' in config auth",
				"config auth { cookiePath: \"app\" }", "config auth: cookiePath must start with '/'");
		cases.forEach((block, message) -> assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> AuthTestSupport.client(block + "\nGET /x\n  |> auth: required\n", PgConnections.of(pool),
					hasher, this.clock))
			.withMessageContaining("routes/auth.wp:1:15: " + message)
			.withMessageContaining("\n" + block + "\n              ^"));
		assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> AuthTestSupport.client("GET /x\n  |> auth: login\nGET /y\n  |> auth: logout\n",
					new PgConnections(() -> null), hasher, this.clock))
			.withMessageContaining("routes/auth.wp:2:12: auth: no database configured")
			.withMessageNotContaining("routes/auth.wp:4");
	}

	@Test
	void configAuthBindsOnceFromJsonValuesOrText() throws Exception {
		com.fasterxml.jackson.databind.node.ObjectNode block = Json.NODES.objectNode();
		block.put("cookieSecure", "true");
		block.put("sessionTtl", "60");
		block.put("cookieSameSite", "strict");
		AuthSettings settings = AuthMiddleware.CONFIG.bind(block);
		assertThat(settings.cookieSecure()).isTrue();
		assertThat(settings.sessionTtl()).isEqualTo(60);
		assertThat(settings.cookieSameSite()).isEqualTo("Strict");
		assertThat(AuthMiddleware.CONFIG.bind(Json.NODES.objectNode())).isEqualTo(AuthSettings.DEFAULTS);
	}

	@Test
	void relaxedOverridePropertiesSetTheDocumentedKeys() {
		dev.webpipe.compile.CompiledProgram program = dev.webpipe.compile.Compiler.load(
				List.of(new dev.webpipe.language.SourceFile("routes/auth.wp", "config auth { cookieSecure: false }\n")),
				Programs.registry(List.of(new AuthMiddleware(PgConnections.of(pool), hasher, this.clock))),
				new dev.webpipe.compile.Compiler.CompilerOptions((name) -> null,
						Map.of("auth", Map.of("cookie-secure", "true", "SESSIONTTL", "60"))));
		assertThat(Json.write(program.configBlocks().get("auth")))
			.isEqualTo("{\"cookieSecure\":\"true\",\"sessionTtl\":\"60\"}");
	}

	// ---- helpers ----------------------------------------------------------------------------

	private long register(String login, String email, String password) {
		JsonNode body = post("/register",
				"{\"login\":\"" + login + "\",\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", 201);
		return body.at("/user/id").asLong();
	}

	private String login(String login, String password) {
		EntityExchangeResult<byte[]> result = exchange("POST", "/login",
				"{\"login\":\"" + login + "\",\"password\":\"" + password + "\"}", null);
		assertThat(result.getStatus().value()).as(body(result)).isEqualTo(200);
		return token(result.getResponseHeaders().getFirst("Set-Cookie"));
	}

	private static String token(String cookie) {
		return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
	}

	private JsonNode post(String path, String body, int status) {
		EntityExchangeResult<byte[]> result = exchange("POST", path, body, null);
		assertThat(result.getStatus().value()).as(body(result)).isEqualTo(status);
		return Json.parse(body(result));
	}

	private static String post(WebTestClient client, String path, String body) {
		return new String(client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
			.expectBody().returnResult().getResponseBodyContent(), StandardCharsets.UTF_8);
	}

	private JsonNode get(String path, String cookie, int status) {
		EntityExchangeResult<byte[]> result = exchange("GET", path, null, cookie);
		assertThat(result.getStatus().value()).as(body(result)).isEqualTo(status);
		return Json.parse(body(result));
	}

	private EntityExchangeResult<byte[]> exchange(String method, String path, String body, String cookie) {
		WebTestClient.RequestBodySpec request = this.client.method(org.springframework.http.HttpMethod.valueOf(method))
			.uri(path);
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
		}
		return request.exchange().expectBody().returnResult();
	}

	private static String body(EntityExchangeResult<byte[]> result) {
		byte[] bytes = result.getResponseBodyContent();
		return (bytes != null) ? new String(bytes, StandardCharsets.UTF_8) : "";
	}

	private static void assertAuthError(JsonNode body, String message) {
		JsonNode error = body.at("/errors/0");
		assertThat(error.get("type").asText()).as(Json.write(body)).isEqualTo("authError");
		assertThat(error.get("message").asText()).as(Json.write(body)).isEqualTo(message);
	}

	private static void sql(String... statements) {
		Mono.usingWhen(Mono.from(pool.create()),
				(Connection connection) -> Flux.fromArray(statements)
					.concatMap((s) -> Flux.from(connection.createStatement(s).execute())
						.concatMap((result) -> result.getRowsUpdated()))
					.then(),
				Connection::close)
			.block(Duration.ofSeconds(30));
	}

	private static String single(String query) {
		return Mono.usingWhen(Mono.from(pool.create()),
				(Connection connection) -> Flux.from(connection.createStatement(query).execute())
					.concatMap((result) -> result.map((row, metadata) -> String.valueOf(row.get(0))))
					.next(),
				Connection::close)
			.block(Duration.ofSeconds(30));
	}

}
