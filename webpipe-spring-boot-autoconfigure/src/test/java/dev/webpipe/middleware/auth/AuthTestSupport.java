package dev.webpipe.middleware.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.SourceFile;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.pg.PgConnections;
import dev.webpipe.middleware.pg.PgMiddleware;
import dev.webpipe.testing.Programs;
import dev.webpipe.testing.TestDatabase;

/** The auth tables of docs/middleware/auth.md in a schema of their own, and programs that use them. */
final class AuthTestSupport {

	static final Path DOC = Path.of("../docs/middleware/auth.md");

	private AuthTestSupport() {
	}

	/** Drops and creates {@code schema} with the tables of the documentation's SQL block. */
	static void createSchema(String schema) throws IOException {
		List<String> statements = new ArrayList<>();
		statements.add("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
		statements.add("CREATE SCHEMA " + schema);
		statements.add("SET search_path TO " + schema);
		statements.addAll(schemaSql());
		statements.add("RESET search_path");
		TestDatabase.execute(statements.toArray(String[]::new));
	}

	static void dropSchema(String schema) {
		TestDatabase.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
	}

	/** The statements of the {@code sql} block of the documentation. */
	static List<String> schemaSql() throws IOException {
		List<String> lines = Files.readAllLines(DOC);
		int start = lines.indexOf("```sql");
		StringBuilder sql = new StringBuilder();
		for (int i = start + 1; !lines.get(i).equals("```"); i++) {
			sql.append(lines.get(i)).append('\n');
		}
		List<String> statements = new ArrayList<>();
		for (String statement : sql.toString().split(";")) {
			if (!statement.isBlank()) {
				statements.add(statement.trim());
			}
		}
		return statements;
	}

	/** A pool whose connections see {@code schema} first (the caller disposes it). */
	static ConnectionPool pool(String schema) {
		TestDatabase.Endpoint db = TestDatabase.get();
		PostgresqlConnectionFactory factory = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration
			.builder()
			.host(db.host())
			.port(db.port())
			.database(db.database())
			.username(db.username())
			.password(db.password())
			.options(Map.of("search_path", schema))
			.connectTimeout(Duration.ofSeconds(5))
			.build());
		return new ConnectionPool(ConnectionPoolConfiguration.builder(factory).initialSize(0).maxSize(8).build());
	}

	static CompiledProgram compile(String wp, List<? extends Middleware> middleware) {
		return Compiler.load(List.of(new SourceFile("routes/auth.wp", wp)), Programs.registry(middleware),
				new Compiler.CompilerOptions((name) -> null, Map.of()));
	}

	static WebTestClient client(String wp, PgConnections connections, PasswordHasher hasher, Clock clock) {
		return patient(Programs.client(compile(wp, List.of(new PgMiddleware(connections),
				new AuthMiddleware(connections, hasher, clock))), null, Set.of()));
	}

	/** Argon2id hashes on a busy machine (and the first one in a cold JVM) can take seconds. */
	static WebTestClient patient(WebTestClient client) {
		return client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
	}

	/** A clock that tests move forward. */
	static final class MovableClock extends Clock {

		private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));

		void advance(Duration duration) {
			this.now.updateAndGet((instant) -> instant.plus(duration));
		}

		@Override
		public Instant instant() {
			return this.now.get();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
