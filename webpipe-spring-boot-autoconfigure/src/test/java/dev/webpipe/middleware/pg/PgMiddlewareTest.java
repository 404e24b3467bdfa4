package dev.webpipe.middleware.pg;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.LoadException;
import dev.webpipe.language.SourceFile;
import dev.webpipe.middleware.Json;
import dev.webpipe.testing.Programs;
import dev.webpipe.testing.TcpGate;
import dev.webpipe.testing.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code pg} middleware against a real PostgreSQL ({@link TestDatabase}), served through the
 * router function without a Spring context.
 */
class PgMiddlewareTest {

	private static final PgConnections connections = PgConnections.of(TestDatabase.connectionFactory());

	@BeforeAll
	static void createTables() {
		TestDatabase.execute("DROP TABLE IF EXISTS pgt_types, pgt_users, pgt_notes, pgt_orders",
				"DROP TYPE IF EXISTS pgt_status",
				"CREATE TYPE pgt_status AS ENUM ('new', 'paid', 'shipped')",
				"""
				CREATE TABLE pgt_types (i integer, b bigint, s smallint, n numeric(12,2), big numeric,
				  d double precision, r real, flag boolean, t text, v varchar(20), ts timestamp,
				  tstz timestamptz, day date, id uuid, j json, jb jsonb, ints integer[], texts text[], nothing text)""",
				"""
				INSERT INTO pgt_types VALUES (7, 9007199254740993, 3, 12.50, 12345678901234567890.123456789,
				  0.1, 1.5, true, 'text with "quotes" and ünïcode', 'short', '2024-05-01 12:30:00',
				  '2024-05-01 12:30:00+02', '2024-05-01', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
				  '{"a": [1, 2.50, null]}', '{"b": {"c": true}}', '{1,2,3}', '{"x","y"}', NULL)""",
				"CREATE TABLE pgt_users (id serial PRIMARY KEY, name text NOT NULL UNIQUE, active boolean NOT NULL)",
				"INSERT INTO pgt_users (name, active) VALUES ('ada', true), ('bob', false), ('cy', true)",
				"CREATE TABLE pgt_notes (id serial PRIMARY KEY, body text)",
				"""
				CREATE TABLE pgt_orders (id uuid PRIMARY KEY, placed timestamptz NOT NULL, due date NOT NULL,
				  total numeric(10,2) NOT NULL, status pgt_status NOT NULL)""",
				"""
				INSERT INTO pgt_orders VALUES
				  ('11111111-1111-1111-1111-111111111111', '2024-01-01 10:00:00+00', '2024-02-01', 10.00, 'new'),
				  ('22222222-2222-2222-2222-222222222222', '2024-03-01 10:00:00+00', '2024-04-01', 99.95, 'paid')""");
	}

	@AfterAll
	static void dropTables() {
		TestDatabase.execute("DROP TABLE IF EXISTS pgt_types, pgt_users, pgt_notes, pgt_orders",
				"DROP TYPE IF EXISTS pgt_status");
	}

	// ---- inside @async tasks (concurrency.md §4) -----------------------------------------

	@Test
	void pgStepsRunAsTasksAndJoinUnderAsync() {
		JsonNode body = get("""
				GET /summary
				  |> jq: `{ status: "processing" }`
				  |> pg: `SELECT count(*) AS count FROM pgt_users` @async(db_stats)
				  |> pg([1]): `SELECT name FROM pgt_users WHERE id = $1` @async(first) @result(user)
				  |> pg: `SELECT nope FROM pgt_users` @async(broken)
				  |> join: `db_stats, first, broken?`
				  |> jq: `{ db: .async.db_stats.data.rows[0], status, dropped: (.async.db_stats.status // "dropped"),
				            user: .async.first.data.user.rows[0].name, broken: .async.broken.errors[0].type }`
				""", "/summary");
		assertThat(Json.write(body)).isEqualTo("{\"db\":{\"count\":3},\"status\":\"processing\","
				+ "\"dropped\":\"dropped\",\"user\":\"ada\",\"broken\":\"sqlError\"}");
	}

	// ---- output ---------------------------------------------------------------------

	@Test
	void everyColumnTypeRoundTripsThroughPostgresqlsJson() {
		JsonNode data = get("""
				GET /types
				  |> pg: `SELECT * FROM pgt_types`
				  |> jq: `.data`
				""", "/types");
		assertThat(data.get("rowCount").asInt()).isEqualTo(1);
		JsonNode row = data.get("rows").get(0);
		OffsetDateTime tstz = OffsetDateTime.parse(row.get("tstz").asText());
		((com.fasterxml.jackson.databind.node.ObjectNode) row).remove("tstz");
		assertThat(Json.write(row)).isEqualTo("{\"i\":7,\"b\":9007199254740993,\"s\":3,\"n\":12.50,"
				+ "\"big\":12345678901234567890.123456789,\"d\":0.1,\"r\":1.5,\"flag\":true,"
				+ "\"t\":\"text with \\\"quotes\\\" and ünïcode\",\"v\":\"short\",\"ts\":\"2024-05-01T12:30:00\","
				+ "\"day\":\"2024-05-01\",\"id\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\","
				+ "\"j\":{\"a\":[1,2.50,null]},\"jb\":{\"b\":{\"c\":true}},\"ints\":[1,2,3],\"texts\":[\"x\",\"y\"],"
				+ "\"nothing\":null}");
		assertThat(tstz.toInstant()).isEqualTo(OffsetDateTime.parse("2024-05-01T10:30:00Z").toInstant());
	}

	@Test
	void nullsComeBackAsJsonNull() {
		JsonNode data = get("""
				GET /nulls
				  |> pg: `SELECT NULL::integer AS a, NULL::text AS b, NULL::jsonb AS c, NULL::uuid AS d`
				  |> jq: `.data`
				""", "/nulls");
		assertThat(Json.write(data)).isEqualTo("{\"rows\":[{\"a\":null,\"b\":null,\"c\":null,\"d\":null}],\"rowCount\":1}");
	}

	@Test
	void anEmptyResultIsAnEmptyArray() {
		JsonNode data = get("""
				GET /none
				  |> pg: `SELECT * FROM pgt_users WHERE false`
				  |> jq: `.data`
				""", "/none");
		assertThat(Json.write(data)).isEqualTo("{\"rows\":[],\"rowCount\":0}");
	}

	@Test
	void anUnnamedResultReplacesTheStateWithData() {
		JsonNode body = get("""
				GET /unnamed
				  |> jq: `{ keep: "dropped", data: "replaced" }`
				  |> pg: `SELECT name FROM pgt_users WHERE id = 1`
				""", "/unnamed");
		assertThat(body.has("keep")).isFalse();
		assertThat(Json.write(body.get("data"))).isEqualTo("{\"rows\":[{\"name\":\"ada\"}],\"rowCount\":1}");
	}

	@Test
	void rowReturningSqlIsDetectedAfterCommentsAndTrailingSemicolonsAreStripped() {
		JsonNode data = get("""
				GET /forms
				  |> pg: `-- the count
				    /* of /* nested */ users */ SELECT count(*) AS n FROM pgt_users ;; ` @result(counted)
				  |> pg: `VALUES (1, 'one');` @result(values)
				  |> pg: `TABLE pgt_users` @result(table)
				  |> pg: `WITH x AS (SELECT 2 AS two) SELECT * FROM x -- trailing comment` @result(with)
				  |> jq: `.data | map_values(.rows)`
				""", "/forms");
		assertThat(Json.write(data)).isEqualTo("{\"counted\":[{\"n\":3}],\"values\":[{\"column1\":1,\"column2\":\"one\"}],"
				+ "\"table\":[{\"id\":1,\"name\":\"ada\",\"active\":true},{\"id\":2,\"name\":\"bob\",\"active\":false},"
				+ "{\"id\":3,\"name\":\"cy\",\"active\":true}],\"with\":[{\"two\":2}]}");
	}

	@Test
	void rawModeAnswersTheJsonOfTheFirstColumn() {
		JsonNode body = get("""
				GET /raw
				  |> pg: `!raw SELECT json_build_object('names', json_agg(name ORDER BY id)) FROM pgt_users` @result(obj)
				  |> pg: `  !raw SELECT '[1, 2.50]'::text;` @result(text)
				  |> pg: `!raw SELECT count(*) FROM pgt_users` @result(number)
				  |> jq: `.data`
				""", "/raw");
		assertThat(Json.write(body)).isEqualTo("{\"obj\":{\"names\":[\"ada\",\"bob\",\"cy\"]},\"text\":[1,2.50],\"number\":3}");
	}

	@Test
	void rawModeWithoutARowIsAnSqlError() {
		JsonNode body = get("""
				GET /raw
				  |> pg: `!raw SELECT to_json(name) FROM pgt_users WHERE false`
				""", "/raw");
		assertThat(Json.write(body.get("errors"))).isEqualTo("[{\"type\":\"sqlError\","
				+ "\"message\":\"the query returned no row\",\"query\":\"SELECT to_json(name) FROM pgt_users WHERE false\"}]");
	}

	// ---- commands and RETURNING ----------------------------------------------------------

	@Test
	void commandsReportTheRowsAffectedAndReturningReportsRows() {
		JsonNode data = get("""
				GET /write
				  |> pg: `INSERT INTO pgt_notes (body) VALUES ('one'), ('two')` @result(inserted)
				  |> pg: `UPDATE pgt_notes SET body = upper(body) WHERE body IN ('one', 'two') RETURNING body` @result(updated)
				  |> pg: `UPDATE pgt_notes SET body = body || '!' WHERE body IN ('ONE', 'TWO')` @result(command)
				  |> pg: `DELETE FROM pgt_notes WHERE body IN ('ONE!', 'TWO!') RETURNING body` @result(deleted)
				  |> pg: `CREATE TEMP TABLE pgt_scratch (x int)` @result(ddl)
				  |> jq: `.data`
				""", "/write");
		assertThat(Json.write(data)).isEqualTo("{\"inserted\":{\"rows\":[],\"rowCount\":2},"
				+ "\"updated\":{\"rows\":[{\"body\":\"ONE\"},{\"body\":\"TWO\"}],\"rowCount\":2},"
				+ "\"command\":{\"rows\":[],\"rowCount\":2},"
				+ "\"deleted\":{\"rows\":[{\"body\":\"ONE!\"},{\"body\":\"TWO!\"}],\"rowCount\":2},"
				+ "\"ddl\":{\"rows\":[],\"rowCount\":0}}");
	}

	// ---- parameters ----------------------------------------------------------------------

	@Test
	void inlineArgumentsAreBoundAsParameters() {
		JsonNode data = get("""
				GET /users/:id
				  |> pg([.params.id]): `SELECT name FROM pgt_users WHERE id = $1`
				  |> jq: `.data.rows[0]`
				""", "/users/2");
		assertThat(Json.write(data)).isEqualTo("{\"name\":\"bob\"}");
	}

	@Test
	void sqlParamsOfTheStateAreBoundWhenThereAreNoInlineArguments() {
		JsonNode body = get("""
				GET /active
				  |> jq: `{ sqlParams: [true, "c%"], resultName: "found" }`
				  |> pg: `SELECT name FROM pgt_users WHERE active = $1 AND name LIKE $2`
				""", "/active");
		assertThat(Json.write(body.get("data"))).isEqualTo("{\"found\":{\"rows\":[{\"name\":\"cy\"}],\"rowCount\":1}}");
		assertThat(Json.write(body.get("sqlParams"))).isEqualTo("[true,\"c%\"]");
	}

	@Test
	void eachJsonTypeIsBoundAsTheSpecSays() {
		WebTestClient client = client("""
				POST /bound
				  |> pg([true, 42, 1.5, .body.huge, [1, "a"], { k: null }]): `SELECT pg_typeof($1)::text AS a,
				       pg_typeof($2)::text AS b, pg_typeof($3)::text AS c, pg_typeof($4)::text AS d, $4 AS d_value,
				       pg_typeof($5)::text AS e, $5 AS e_value, pg_typeof($6)::text AS f, $6 AS f_value`
				  |> jq: `.data.rows[0]`
				""");
		JsonNode row = Json.parse(client.post().uri("/bound").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"huge\": 9223372036854775808}")
			.exchange().expectBody().returnResult().getResponseBodyContent());
		assertThat(Json.write(row)).isEqualTo("{\"a\":\"boolean\",\"b\":\"bigint\",\"c\":\"double precision\","
				+ "\"d\":\"numeric\",\"d_value\":9223372036854775808,\"e\":\"jsonb\",\"e_value\":[1,\"a\"],\"f\":\"jsonb\",\"f_value\":{\"k\":null}}");
	}

	@Test
	void aStringParameterComparesWithTypedColumnsLikeALiteral() {
		JsonNode data = get("""
				GET /typed
				  |> pg(["22222222-2222-2222-2222-222222222222"]): `SELECT total FROM pgt_orders WHERE id = $1` @result(uuid)
				  |> pg(["2024-02-15T00:00:00Z"]): `SELECT status FROM pgt_orders WHERE placed > $1` @result(timestamp)
				  |> pg(["2024-03-01"]): `SELECT status FROM pgt_orders WHERE due < $1` @result(date)
				  |> pg(["99.95"]): `SELECT status FROM pgt_orders WHERE total = $1` @result(numeric)
				  |> pg(["new"]): `SELECT due FROM pgt_orders WHERE status = $1` @result(enum)
				  |> jq: `.data | map_values(.rows)`
				""", "/typed");
		assertThat(Json.write(data)).isEqualTo("{\"uuid\":[{\"total\":99.95}],\"timestamp\":[{\"status\":\"paid\"}],"
				+ "\"date\":[{\"status\":\"new\"}],\"numeric\":[{\"status\":\"paid\"}],\"enum\":[{\"due\":\"2024-02-01\"}]}");
	}

	@Test
	void aStringOrNullWhoseTypeTheSqlDoesNotFixIsText() {
		JsonNode row = get("""
				GET /echo
				  |> pg(["hello", null]): `SELECT $1 AS echo, $2 AS nothing`
				  |> jq: `.data.rows[0]`
				""", "/echo");
		assertThat(Json.write(row)).isEqualTo("{\"echo\":\"hello\",\"nothing\":null}");
	}

	@Test
	void aParameterHoldingSqlIsStoredAndReturnedAsText() {
		String attack = "x'); DROP TABLE pgt_notes; --";
		WebTestClient client = client("""
				POST /notes
				  |> pg([.body.text]): `INSERT INTO pgt_notes (body) VALUES ($1) RETURNING body`
				  |> jq: `.data.rows[0]`

				GET /notes/count
				  |> pg([.query.text]): `SELECT count(*) AS n FROM pgt_notes WHERE body = $1`
				  |> jq: `.data.rows[0]`
				""");
		JsonNode stored = Json.parse(client.post().uri("/notes").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Json.write(Json.NODES.objectNode().put("text", attack)))
			.exchange().expectStatus().isOk().expectBody().returnResult().getResponseBodyContent());
		assertThat(stored.get("body").asText()).isEqualTo(attack);
		JsonNode count = Json.parse(client.get().uri((b) -> b.path("/notes/count").queryParam("text", "{t}").build(attack))
			.exchange().expectStatus().isOk().expectBody().returnResult().getResponseBodyContent());
		assertThat(count.get("n").asInt()).isEqualTo(1);
	}

	@Test
	void anInlineArgumentThatIsNotAnArrayIsAPgError() {
		JsonNode body = get("""
				GET /bad
				  |> pg(.query): `SELECT 1`
				""", "/bad?x=1");
		JsonNode error = body.get("errors").get(0);
		assertThat(error.get("type").asText()).isEqualTo("pgError");
		assertThat(error.get("message").asText()).isEqualTo("pg argument 0 must evaluate to an array, got: object");
	}

	@Test
	void parameterCountMismatchesAreSqlErrors() {
		JsonNode body = get("""
				GET /count
				  |> pg([1, 2]): `SELECT $1::int AS one` @result(more)
				""", "/count");
		assertThat(body.get("errors").get(0).get("message").asText())
			.isEqualTo("2 parameters were given, but the SQL has fewer placeholders ($1, $2, …)");
		body = get("""
				GET /count
				  |> pg([1]): `SELECT $1::int AS one, $2::int AS two`
				""", "/count");
		assertThat(body.get("errors").get(0).get("message").asText())
			.isEqualTo("the SQL has more placeholders ($1, $2, …) than the parameters given");
	}

	// ---- naming -----------------------------------------------------------------------------

	@Test
	void aVariableNamesItsResultAndResultTagsAndResultNameWinOverIt() {
		JsonNode data = get("""
				pg userNames = `SELECT name FROM pgt_users ORDER BY id`

				GET /names
				  |> pg: userNames
				  |> pg: userNames @result(tagged)
				  |> jq: `. + { resultName: "legacy" }`
				  |> pg: userNames
				  |> jq: `.data | map_values(.rowCount)`
				""", "/names");
		assertThat(Json.write(data)).isEqualTo("{\"userNames\":3,\"tagged\":3,\"legacy\":3}");
	}

	@Test
	void aNamedResultKeepsTheRestOfTheState() {
		JsonNode body = get("""
				GET /kept/:id
				  |> jq: `{ id: .params.id, note: "kept" }`
				  |> pg([.id]): `SELECT name FROM pgt_users WHERE id = $1` @result(user)
				  |> jq: `{ note, name: .data.user.rows[0].name }`
				""", "/kept/3");
		assertThat(Json.write(body)).isEqualTo("{\"note\":\"kept\",\"name\":\"cy\"}");
	}

	// ---- errors ----------------------------------------------------------------------------

	@Test
	void aServerErrorIsATypedSqlErrorWithSqlstateAndTheSqlAsWritten() {
		JsonNode body = get("""
				GET /missing
				  |> pg: `SELECT * FROM pgt_no_such_table;`
				""", "/missing");
		assertThat(Json.write(body.get("errors"))).isEqualTo("[{\"type\":\"sqlError\","
				+ "\"message\":\"relation \\\"pgt_no_such_table\\\" does not exist\",\"sqlstate\":\"42P01\","
				+ "\"severity\":\"ERROR\",\"query\":\"SELECT * FROM pgt_no_such_table\"}]");
	}

	@Test
	void errorsNeverCarryParameterValuesOfTheirOwn() {
		JsonNode body = get("""
				GET /dup
				  |> pg(["ada", "s3cret-token"]): `!raw INSERT INTO pgt_users (name, active) VALUES ($1, $2 = 'x') RETURNING to_json(id)`
				""", "/dup");
		JsonNode error = body.get("errors").get(0);
		assertThat(error.get("sqlstate").asText()).isEqualTo("23505");
		assertThat(error.get("query").asText())
			.isEqualTo("INSERT INTO pgt_users (name, active) VALUES ($1, $2 = 'x') RETURNING to_json(id)");
		assertThat(Json.write(error)).doesNotContain("s3cret-token").doesNotContain("'ada'");
		assertThat(error.fieldNames()).toIterable().containsExactly("type", "message", "sqlstate", "severity", "query");
	}

	@Test
	void aResultBlockHandlesSqlErrors() {
		WebTestClient client = client("""
				GET /broken
				  |> pg: `SELEC 1`
				  |> result
				    sqlError(503):
				      |> jq: `{ failed: .errors[0].sqlstate }`
				""");
		client.get().uri("/broken").exchange().expectStatus().isEqualTo(503)
			.expectBody().json("{\"failed\":\"42601\"}", true);
	}

	// ---- connections -------------------------------------------------------------------------

	@Test
	void tenConcurrentQueriesRunOnConnectionsOfThePool() throws Exception {
		TestDatabase.Endpoint db = TestDatabase.get();
		try (PgConnections own = new PgConnections(() -> null)) {
			WebTestClient client = client(own, """
					config pg {
					  host: $PG_HOST
					  port: $PG_PORT
					  database: $PG_DATABASE
					  user: $PG_USER
					  password: $PG_PASSWORD
					  initialPoolSize: 0
					  maxPoolSize: 10
					}

					GET /slow/:n
					  |> pg([.params.n]): `SELECT $1::int AS n, pg_backend_pid() AS pid, pg_sleep(0.3)::text AS slept`
					  |> jq: `.data.rows[0]`
					""", Map.of("PG_HOST", db.host(), "PG_PORT", String.valueOf(db.port()), "PG_DATABASE", db.database(),
					"PG_USER", db.username(), "PG_PASSWORD", db.password()));
			ExecutorService executor = Executors.newFixedThreadPool(10);
			try {
				List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
				for (int i = 0; i < 10; i++) {
					int n = i;
					calls.add(CompletableFuture.supplyAsync(() -> body(client, "/slow/" + n), executor));
				}
				Set<Integer> numbers = new HashSet<>();
				Set<Integer> pids = new HashSet<>();
				for (CompletableFuture<JsonNode> call : calls) {
					JsonNode row = call.get();
					numbers.add(row.get("n").asInt());
					pids.add(row.get("pid").asInt());
				}
				assertThat(numbers).hasSize(10);
				assertThat(pids).hasSizeGreaterThan(1).hasSizeLessThanOrEqualTo(10);
			}
			finally {
				executor.shutdownNow();
			}
		}
	}

	@Test
	void aDatabaseThatIsDownAnswersSqlErrorsUntilItIsBack() {
		TestDatabase.Endpoint db = TestDatabase.get();
		try (TcpGate gate = new TcpGate(db.host(), db.port()); PgConnections own = new PgConnections(() -> null)) {
			WebTestClient client = client(own, """
					config pg { host: "127.0.0.1" port: $GATE_PORT user: $PG_USER password: $PG_PASSWORD database: $PG_DATABASE initialPoolSize: 1 }

					GET /db
					  |> pg: `SELECT 1 AS up`
					  |> result
					    ok(200):
					      |> jq: `.data.rows[0]`
					    sqlError(503):
					      |> jq: `{ down: true, query: .errors[0].query }`

					GET /plain
					  |> jq: `{ plain: true }`
					""", Map.of("GATE_PORT", String.valueOf(gate.port()), "PG_USER", db.username(), "PG_PASSWORD",
					db.password(), "PG_DATABASE", db.database()));
			client.get().uri("/db").exchange().expectStatus().isEqualTo(503)
				.expectBody().json("{\"down\":true,\"query\":\"SELECT 1 AS up\"}", true);
			client.get().uri("/plain").exchange().expectStatus().isOk().expectBody().json("{\"plain\":true}", true);
			gate.open();
			client.get().uri("/db").exchange().expectStatus().isOk().expectBody().json("{\"up\":1}", true);
			gate.shut();
			client.get().uri("/db").exchange().expectStatus().isEqualTo(503);
			gate.open();
			client.get().uri("/db").exchange().expectStatus().isOk().expectBody().json("{\"up\":1}", true);
		}
	}

	@Test
	void closingTheConnectionsDisposesThePoolsTheyCreated() {
		PgConnections own = new PgConnections(() -> null);
		String wp = """
				config pg { port: "5999" }
				GET /x
				  |> pg: `SELECT 1`
				GET /y
				  |> pg: `SELECT 2`
				""";
		compile(own, wp, Map.of());
		assertThat(own.pools()).hasSize(1).allSatisfy((pool) -> assertThat(pool.isDisposed()).isFalse());
		var pools = own.pools();
		own.close();
		assertThat(pools).allSatisfy((pool) -> assertThat(pool.isDisposed()).isTrue());
		assertThatExceptionOfType(LoadException.class).isThrownBy(() -> compile(own, wp, Map.of()));
	}

	/**
	 * docs/reload.md#what-a-reload-replaces: a program's steps lease the pool of its config pg; closing a replaced
	 * program's resources disposes a pool only once no step of the serving program leases it.
	 */
	@Test
	void aPoolLivesAsLongAsAStepLeasesIt() throws Exception {
		PgConnections own = new PgConnections(() -> null);
		String first = "config pg { port: \"5999\" }\nGET /x\n  |> pg: `SELECT 1`\n";
		CompiledProgram old = compile(own, first, Map.of());
		assertThat(old.resources()).hasSize(1);
		var pool = own.pools().iterator().next();
		CompiledProgram same = compile(own, first + "GET /y\n  |> pg: `SELECT 2`\n", Map.of());
		assertThat(own.pools()).containsExactly(pool);
		for (AutoCloseable resource : old.resources()) {
			resource.close();
		}
		assertThat(pool.isDisposed()).as("the serving program still leases the pool").isFalse();
		CompiledProgram moved = compile(own, "config pg { port: \"5998\" }\nGET /x\n  |> pg: `SELECT 1`\n", Map.of());
		for (AutoCloseable resource : same.resources()) {
			resource.close();
			resource.close();
		}
		assertThat(pool.isDisposed()).as("no step leases the old settings' pool").isTrue();
		assertThat(own.pools()).hasSize(1).allSatisfy((left) -> assertThat(left.isDisposed()).isFalse());
		// a program that does not compile gives back what its steps leased at once
		assertThatExceptionOfType(LoadException.class).isThrownBy(() -> compile(own,
				"config pg { port: \"5997\" }\nGET /x\n  |> pg: `SELECT 1`\n  |> nosuch\n", Map.of()));
		assertThat(own.pools()).hasSize(1);
		own.close();
		assertThat(moved.resources()).hasSize(1);
	}

	// ---- helpers ------------------------------------------------------------------------------

	static WebTestClient client(String wp) {
		return client(connections, wp, Map.of());
	}

	static WebTestClient client(PgConnections pg, String wp, Map<String, String> env) {
		return Programs.client(compile(pg, wp, env), null, Set.of());
	}

	static CompiledProgram compile(PgConnections pg, String wp, Map<String, String> env) {
		Compiler.CompilerOptions options = new Compiler.CompilerOptions(env::get, Map.of());
		return Compiler.load(List.of(new SourceFile("routes/pg.wp", wp)), Programs.registry(List.of(new PgMiddleware(pg))),
				options);
	}

	private static JsonNode get(String wp, String path) {
		return body(client(wp), path);
	}

	private static JsonNode body(WebTestClient client, String path) {
		byte[] bytes = client.get().uri(path).exchange().expectBody().returnResult().getResponseBodyContent();
		return Json.parse(bytes);
	}

}
