package dev.webpipe.middleware.lua;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.LoadException;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** lua steps inside routes: typed errors with their location, flags and conditions, user envelopes. */
class LuaRoutesTest {

	private static final String ROUTES = """
			GET /sum
			  |> jq: `{ a: 1, b: 2 }`
			  |> lua: `return { sum = request.a + request.b }`

			GET /fails
			  |> jq: `{ keep: 1 }`
			  |> lua: ```
			    local x = nil
			    return x.field
			  ```

			GET /conditions
			  |> lua: `setWhen("premium", request.query.plan == "gold") return request`
			  |> jq: `{ premium: true }` @when(premium)
			  |> jq: `{ premium: false }` @!when(premium)

			GET /envelope
			  |> lua: `return { errors = { { type = "notFound", message = "no such order" } } }`
			  |> jq: `{ skipped: false }`
			  |> result
			    ok(200):
			      |> jq: `{ ok: true }`
			    notFound(404):
			      |> jq: `{ missing: .errors[0].message }`

			GET /nothing
			  |> lua: `local x = 1`

			GET /orders/:id
			  |> jq: `{ order: { id: .params.id, total: 120 } }`
			  |> lua: ```
			    local order = request.order
			    setWhen("big_order", order.total > 100)
			    return { id = order.id, discount = order.total * 0.1 }
			  ```
			  |> jq: `. + { big: true }` @when(big_order)
			""";

	private final WebTestClient client = Programs.client(
			Programs.compile("routes/lua.wp", ROUTES, List.of(new LuaMiddleware())), null, Set.of());

	@Test
	void theOutputReplacesTheState() {
		this.client.get().uri("/sum").exchange().expectStatus().isOk().expectBody().json("{\"sum\":3}", true);
	}

	@Test
	void aRuntimeErrorIsALuaErrorWithTheWpFileAndLine() {
		byte[] body = this.client.get().uri("/fails").exchange().expectStatus().isEqualTo(500)
			.expectBody().returnResult().getResponseBody();
		// "return x.field" is line 9 of the .wp file (line 3 of the script)
		assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"errors\":[{\"type\":\"luaError\","
				+ "\"message\":\"Lua execution error: routes/lua.wp:9 attempt to index ? (a nil value)\","
				+ "\"step\":\"lua\",\"location\":\"routes/lua.wp:7-10\"}]}");
	}

	@Test
	void setWhenIsSeenByTheConditionsOfLaterSteps() {
		this.client.get().uri("/conditions?plan=gold").exchange().expectBody().json("{\"premium\":true}", true);
		this.client.get().uri("/conditions?plan=free").exchange().expectBody().json("{\"premium\":false}", true);
	}

	@Test
	void aReturnedErrorEnvelopeIsAUserError() {
		this.client.get().uri("/envelope").exchange().expectStatus().isNotFound().expectBody()
			.json("{\"missing\":\"no such order\"}", true);
	}

	@Test
	void theExampleOfTheDocs() {
		this.client.get().uri("/orders/7").exchange().expectStatus().isOk().expectBody()
			.json("{\"id\":7,\"discount\":12,\"big\":true}", true);
	}

	@Test
	void noReturnGivesNull() {
		this.client.get().uri("/nothing").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("null");
	}

	@Test
	void aSyntaxErrorIsALoadErrorAtTheEndOfTheScriptWhenItEndsTooEarly() {
		assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> Programs.compile("routes/bad.wp", "GET /a\n  |> jq: `{}`\n  |> lua: `local a = \n`\n",
					List.of(new LuaMiddleware())))
			.satisfies((ex) -> {
				Diagnostic error = ex.errors().get(0);
				assertThat(error.headline())
					.isEqualTo("routes/bad.wp:4:1: lua syntax error: unexpected symbol near '<eof>'");
			});
	}

	@Test
	void aSyntaxErrorIsALoadErrorAtTheWpLineAndTokenItNames() {
		String text = """
				GET /a
				  |> lua: ```
				    local total = 0
				    for i = 1, 3 do
				      total = total + i
				    end
				    return { total = total +* 2 }
				  ```
				""";
		assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> Programs.compile("routes/bad.wp", text, List.of(new LuaMiddleware())))
			.satisfies((ex) -> assertThat(ex.errors().get(0).render()).isEqualTo("""
					routes/bad.wp:7:29: lua syntax error: unexpected symbol near '*'
					    return { total = total +* 2 }
					                            ^"""));
	}

	@Test
	void aSyntaxErrorInAVariableIsReportedInTheVariable() {
		String text = "GET /a\n  |> lua: broken\n\nlua broken = `\n  return 1 +\n  + 2`\n";
		assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> Programs.compile("routes/bad.wp", text, List.of(new LuaMiddleware())))
			.satisfies((ex) -> assertThat(ex.errors().get(0).headline())
				.isEqualTo("routes/bad.wp:6:3: lua syntax error: unexpected symbol near '+'"));
	}

	@Test
	void luaNeedsAConfig() {
		assertThatExceptionOfType(LoadException.class)
			.isThrownBy(() -> Programs.compile("routes/bad.wp", "GET /a\n  |> lua\n", List.of(new LuaMiddleware())))
			.satisfies((ex) -> assertThat(ex.errors().get(0).message()).contains("lua"));
	}


}
