package dev.webpipe.middleware.pg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.testing.Programs;
import dev.webpipe.testing.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code wp} examples of {@code docs/middleware/pg.md} compile, and run as documented against
 * the demo application's tables ({@code schema.sql}, {@code data.sql} of webpipe-demo-app).
 */
class PgDocsExamplesTest {

	private static final Path DOC = Path.of("../docs/middleware/pg.md");

	private static final Path DEMO_SQL = Path.of("../webpipe-demo-app/src/main/resources");

	@BeforeAll
	static void createDemoTables() throws IOException {
		dropDemoTables();
		TestDatabase.execute(statements(DEMO_SQL.resolve("schema.sql")));
		TestDatabase.execute(statements(DEMO_SQL.resolve("data.sql")));
	}

	@AfterAll
	static void dropDemoTables() {
		TestDatabase.execute("DROP TABLE IF EXISTS guestbook, sessions, orders, posts, stats, users");
	}

	@Test
	void everyExampleCompiles() throws IOException {
		List<String> examples = examples();
		assertThat(examples).hasSizeGreaterThanOrEqualTo(6);
		try (PgConnections own = new PgConnections(() -> null)) {
			for (String example : examples) {
				PgConnections connections = example.contains("config pg") ? own
						: PgConnections.of(TestDatabase.connectionFactory());
				assertThat(PgMiddlewareTest.compile(connections, example, Map.of("DB_PASSWORD", "secret")).routes())
					.as(example).isNotEmpty();
			}
		}
	}

	@Test
	void theExamplesAnswerAsDocumented() throws IOException {
		String program = String.join("\n", examples().stream().filter((e) -> !e.contains("config pg")).toList());
		WebTestClient client = Programs.client(
				PgMiddlewareTest.compile(PgConnections.of(TestDatabase.connectionFactory()), program, Map.of()), null,
				Set.of());
		client.get().uri("/users/1").exchange().expectStatus().isOk().expectBody().json("""
				{"user":{"id":1,"name":"Ada Lovelace","email":"ada@example.com","created_at":"2024-01-15T09:30:00"}}
				""", true);
		client.get().uri("/stats").exchange().expectStatus().isOk().expectBody()
			.json("{\"data\":{\"visits\":1024,\"signups\":3}}", true);
		client.get().uri("/users").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.data.rows[*].name").isEqualTo(List.of("Ada Lovelace", "Alan Turing"));
		client.get().uri("/users/2/summary").exchange().expectStatus().isOk().expectBody()
			.json("{\"name\":\"Grace Hopper\",\"posts\":2}", true);
		client.get().uri("/orders/7f9c24e8-3b12-4fef-91e0-3a1b2c3d4e02").exchange().expectStatus().isOk()
			.expectBody().json("{\"id\":\"7f9c24e8-3b12-4fef-91e0-3a1b2c3d4e02\",\"total\":120.00,\"status\":\"paid\"}", true);
		client.get().uri("/orders/not-a-uuid").exchange().expectStatus().isEqualTo(503).expectBody()
			.json("{\"error\":\"orders are unavailable\",\"code\":\"22P02\"}", true);
		client.post().uri("/users/3/posts").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"title\":\"'); DROP TABLE posts; --\"}")
			.exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.created.title").isEqualTo("'); DROP TABLE posts; --");
		client.delete().uri("/orders/7f9c24e8-3b12-4fef-91e0-3a1b2c3d4e03").exchange().expectStatus().isOk()
			.expectBody().json("{\"deleted\":1}", true);
	}

	@Test
	void aStatementLongerThanTheTimeoutAnswersAsDocumented() throws IOException {
		String example = examples().stream().filter((e) -> e.contains("/reports/slow")).findFirst().orElseThrow();
		PgConnections connections = PgConnections.of(TestDatabase.connectionFactory(), java.time.Duration.ofSeconds(1));
		WebTestClient client = Programs.client(PgMiddlewareTest.compile(connections, example, Map.of()), null,
				Set.of());
		client.get().uri("/reports/slow").exchange().expectStatus().isEqualTo(503).expectBody()
			.json("{\"error\":\"the report took too long\",\"code\":\"57014\"}", true);
	}

	private static List<String> examples() throws IOException {
		List<String> lines = Files.readAllLines(DOC);
		List<String> examples = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).trim().equals("```wp")) {
				int indent = lines.get(i).indexOf('`');
				StringBuilder block = new StringBuilder();
				for (i++; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
					String line = lines.get(i);
					block.append(line.length() >= indent ? line.substring(indent) : line.trim()).append('\n');
				}
				examples.add(block.toString());
			}
		}
		return examples;
	}

	private static String[] statements(Path file) throws IOException {
		return Arrays.stream(Files.readString(file).split(";")).map(String::trim).filter((s) -> !s.isEmpty())
			.toArray(String[]::new);
	}

}
