package dev.webpipe.middleware.pg;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.middleware.lua.LuaMiddleware;
import dev.webpipe.middleware.lua.LuaScripts;
import dev.webpipe.testing.Programs;
import dev.webpipe.testing.TestDatabase;

/** Lua's {@code executeSql} on the database of {@code pg} steps, against a real PostgreSQL. */
class PgLuaSqlTest {

	private static final PgConnections connections = PgConnections.of(TestDatabase.connectionFactory());

	@BeforeAll
	static void createTable() {
		TestDatabase.execute("DROP TABLE IF EXISTS lua_sql_items",
				"CREATE TABLE lua_sql_items (id int PRIMARY KEY, name text, price numeric(6,2))",
				"INSERT INTO lua_sql_items VALUES (1, 'pen', 1.50), (2, 'ink', 12.00)");
	}

	@Test
	void executeSqlReturnsRowsAndBindsParameters() {
		CompiledProgram program = compile("""
				GET /items/:id
				  |> lua: `
				    local result, err = executeSql("SELECT id, name, price FROM lua_sql_items WHERE id = $1", { request.params.id })
				    if err then return { error = err } end
				    return { count = result.rowCount, name = result.rows[1].name, price = result.rows[1].price }
				  `
				""", new PgLuaSql(connections));
		Programs.client(program).get().uri("/items/2").exchange()
			.expectStatus().isOk()
			.expectBody().json("{\"count\":1,\"name\":\"ink\",\"price\":12}", true);
	}

	@Test
	void aFailingStatementIsTheErrorResult() {
		CompiledProgram program = compile("""
				GET /broken
				  |> lua: `
				    local result, err = executeSql("SELECT nope FROM lua_sql_items")
				    return { result = result, err = err }
				  `
				""", new PgLuaSql(connections));
		Programs.client(program).get().uri("/broken").exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.err").value((String err) -> org.assertj.core.api.Assertions.assertThat(err)
				.contains("column \"nope\" does not exist"));
	}

	@Test
	void aStatementLongerThanTheStatementTimeoutIsCancelledAndIsTheErrorResult() {
		CompiledProgram program = compile("""
				GET /slow
				  |> lua: `
				    local result, err = executeSql("SELECT pg_sleep(30)::text AS slept, 'wp-lua-statement-timeout' AS marker")
				    return { result = result, err = err }
				  `
				""", new PgLuaSql(PgConnections.of(TestDatabase.connectionFactory(), java.time.Duration.ofSeconds(1))));
		Programs.client(program).mutate().responseTimeout(java.time.Duration.ofSeconds(20)).build()
			.get().uri("/slow").exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.err").isEqualTo("the SQL statement was cancelled after 1s (webpipe.pg.statement-timeout)");
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
			.until(() -> TestDatabase.running("wp-lua-statement-timeout") == 0);
	}

	@Test
	void withoutADatabaseExecuteSqlSaysSo() {
		CompiledProgram program = compile("""
				GET /none
				  |> lua: `
				    local result, err = executeSql("SELECT 1")
				    return { err = err }
				  `
				""", new PgLuaSql(new PgConnections(() -> null)));
		Programs.client(program).get().uri("/none").exchange()
			.expectStatus().isOk()
			.expectBody().json("{\"err\":\"database not configured\"}", true);
	}

	private static CompiledProgram compile(String text, PgLuaSql sql) {
		return Programs.compile("routes/lua-sql.wp", text,
				List.of(new LuaMiddleware(LuaScripts.none(), 1_000_000, sql, Schedulers.boundedElastic())));
	}

}
