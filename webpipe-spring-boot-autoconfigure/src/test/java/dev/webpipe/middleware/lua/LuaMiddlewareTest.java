package dev.webpipe.middleware.lua;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import dev.webpipe.language.Span;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.Json;
import dev.webpipe.runtime.RequestContext;
import dev.webpipe.language.SourceLocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The lua middleware on its own: globals, sandbox, budget, executeSql and preloaded scripts. */
class LuaMiddlewareTest {

	private final List<String> queries = new ArrayList<>();

	private final LuaSql database = (sql, params) -> {
		this.queries.add(sql + " " + params);
		if (sql.contains("broken")) {
			throw new IllegalStateException("relation \"broken\" does not exist");
		}
		ObjectNode result = Json.NODES.objectNode();
		result.putArray("rows").addObject().set("params", params);
		result.put("rowCount", 1);
		return result;
	};

	private final RequestContext context = RequestContext.create(Json.NODES.objectNode().put("path", "/x"),
			"GET /x", "test", Set.of());

	// --- results and request ---

	@Test
	void theReturnValueIsTheOutput() {
		assertThat(run("return { sum = request.a + request.b }", "{\"a\":1,\"b\":2}")).hasToString("{\"sum\":3}");
	}

	@Test
	void theQueryParametersAScriptReadsAreDeclaredAndItStillRuns() throws InvalidStepException {
		String script = """
				local page = request.query.page or 1
				local sort = request.query["sort-by"]
				local q = request . query ['q']
				local other = myrequest and myrequest.query.x
				return { page = page, sort = sort, q = q }""";
		ExecutableStep step = compile(new LuaMiddleware(), script);
		assertThat(step.queryParameters()).containsExactly("page", "sort-by", "q");
		assertThat(run(script, "{\"query\":{\"page\":2,\"sort-by\":\"date\"}}"))
			.hasToString("{\"page\":2,\"sort\":\"date\"}");
		assertThat(compile(new LuaMiddleware(), "return request.body").queryParameters()).isEmpty();
	}

	@Test
	void noReturnGivesNull() {
		assertThat(run("local x = 1", "{}").isNull()).isTrue();
	}

	@Test
	void contextIsDollarContextAsATable() {
		this.context.setFlag("beta", true);
		assertThat(run("return { env = context.env, path = context.request.path, beta = context.flags.beta }", "{}"))
			.hasToString("{\"beta\":true,\"env\":\"test\",\"path\":\"/x\"}");
	}

	@Test
	void runsOnABoundedWorkerNotOnTheCallersThread() {
		JsonNode output = run("return getEnv('WEBPIPE_NO_SUCH_VARIABLE') == nil", "{}");
		assertThat(output.booleanValue()).isTrue();
		String[] thread = new String[1];
		LuaSql recorder = (sql, params) -> {
			thread[0] = Thread.currentThread().getName();
			return Json.parse("{\"rows\":[],\"rowCount\":0}");
		};
		run(new LuaMiddleware(LuaScripts.none(), 1_000_000, recorder, Schedulers.boundedElastic()),
				"return executeSql('select 1')", "{}");
		assertThat(thread[0]).startsWith("boundedElastic");
	}

	@Test
	void getEnvReadsTheProcessEnvironment() {
		String path = System.getenv("PATH");
		assertThat(run("return getEnv('PATH')", "{}").asText()).isEqualTo(path);
		assertThat(run("return os.getenv('PATH')", "{}").asText()).isEqualTo(path);
		assertThat(run("return os.getenv('java.home')", "{}").isNull()).as("no system properties").isTrue();
	}

	// --- flags and conditions (runtime.md §8) ---

	@Test
	void setFlagAndSetWhenWriteImmediatelyByLuaTruthiness() {
		run("setFlag('a', 1); setFlag('b', nil); setWhen('c', 'yes'); setWhen('d', false)", "{}");
		assertThat(this.context.flags()).containsEntry("a", true).containsEntry("b", false);
		assertThat(this.context.conditions()).containsEntry("c", true).containsEntry("d", false);
	}

	@Test
	void getFlagAndGetWhenReadTheSnapshotTakenAtScriptStart() {
		this.context.setFlag("old", true);
		this.context.setCondition("cond", true);
		JsonNode output = run("""
				setFlag('new', true); setFlag('old', false); setWhen('cond', false)
				return { new = getFlag('new'), old = getFlag('old'), cond = getWhen('cond'),
				         missing = getFlag('missing'), ctx = context.flags.old }""", "{}");
		assertThat(output).hasToString("{\"cond\":true,\"ctx\":true,\"missing\":false,\"new\":false,\"old\":true}");
		assertThat(this.context.flag("old")).isFalse();
		assertThat(this.context.flag("new")).isTrue();
	}

	@Test
	void aFlagNameMustBeAString() {
		assertThat(failure("setFlag(nil, true)")).isEqualTo("Lua execution error: script:1 bad argument: string expected, got nil");
	}

	// --- executeSql ---

	@Test
	void executeSqlReturnsRowsAndRowCount() {
		JsonNode output = run(withDatabase(), """
				local result, err = executeSql('select $1, $2', { 7, 'x', nil, 'ignored' })
				return { rows = result.rows, rowCount = result.rowCount, err = err }""", "{}");
		assertThat(output).hasToString("{\"rowCount\":1,\"rows\":[{\"params\":[7,\"x\"]}]}");
		assertThat(this.queries).containsExactly("select $1, $2 [7,\"x\"]");
	}

	@Test
	void executeSqlWithoutParamsSendsNone() {
		run(withDatabase(), "return executeSql('select 1')", "{}");
		assertThat(this.queries).containsExactly("select 1 []");
	}

	@Test
	void executeSqlReportsAFailureAsItsSecondResult() {
		JsonNode output = run(withDatabase(), """
				local result, err = executeSql('select * from broken')
				return { isNil = result == nil, err = err }""", "{}");
		assertThat(output).hasToString("{\"err\":\"relation \\\"broken\\\" does not exist\",\"isNil\":true}");
	}

	@Test
	void executeSqlRefusesParamsThatAreNotATable() {
		JsonNode output = run(withDatabase(), """
				local result, err = executeSql('select $1', 'x')
				return { isNil = result == nil, err = err }""", "{}");
		assertThat(output).hasToString("{\"err\":\"params must be a table/array\",\"isNil\":true}");
		assertThat(this.queries).isEmpty();
	}

	@Test
	void executeSqlWithoutADatabase() {
		JsonNode output = run("local result, err = executeSql('select 1'); return { isNil = result == nil, err = err }",
				"{}");
		assertThat(output).hasToString("{\"err\":\"database not configured\",\"isNil\":true}");
	}

	@Test
	void timeBlockedInExecuteSqlDoesNotCountTowardTheBudget() {
		LuaSql slow = (sql, params) -> {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return Json.parse("{\"rows\":[],\"rowCount\":0}");
		};
		LuaMiddleware lua = new LuaMiddleware(LuaScripts.none(), 5000, slow, Schedulers.boundedElastic());
		assertThat(run(lua, "for i = 1, 5 do executeSql('select pg_sleep(1)') end return 'done'", "{}").asText())
			.isEqualTo("done");
	}

	// --- errors ---

	@Test
	void aRuntimeErrorIsLuaJsMessageWithoutTraceback() {
		assertThat(failure("local t = nil\nreturn t.x")).isEqualTo("Lua execution error: script:2 attempt to index ? (a nil value)");
		assertThat(failure("error('boom')")).isEqualTo("Lua execution error: script:1 boom");
	}

	@Test
	void aSyntaxErrorIsALoadErrorNamingTheLineOfTheScript() {
		assertThatExceptionOfType(InvalidStepException.class).isThrownBy(() -> compile(new LuaMiddleware(),
				"local a = 1\nreturn a +"))
			.withMessage("lua syntax error: line 2 of the script: unexpected symbol near '<eof>'")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo("local a = 1\nreturn a +".length()));
		assertThatExceptionOfType(InvalidStepException.class).isThrownBy(() -> compile(new LuaMiddleware(), "x = = 1"))
			.withMessage("lua syntax error: line 1 of the script: unexpected symbol near '='");
	}

	// --- budget ---

	@Test
	void anEndlessLoopExceedsTheBudget() {
		LuaMiddleware lua = new LuaMiddleware(LuaScripts.none(), 100_000, null, Schedulers.boundedElastic());
		assertThat(failure(lua, "while true do end"))
			.isEqualTo("Lua execution error: instruction budget of 100000 exceeded");
	}

	@Test
	void pcallCannotCatchTheBudget() {
		LuaMiddleware lua = new LuaMiddleware(LuaScripts.none(), 100_000, null, Schedulers.boundedElastic());
		assertThat(failure(lua, "while true do pcall(function() while true do end end) end"))
			.isEqualTo("Lua execution error: instruction budget of 100000 exceeded");
		assertThat(failure(lua, "local ok = xpcall(function() while true do end end, function(e) return e end) "
				+ "while true do end")).isEqualTo("Lua execution error: instruction budget of 100000 exceeded");
	}

	@Test
	void aScriptWithinTheBudgetRuns() {
		LuaMiddleware lua = new LuaMiddleware(LuaScripts.none(), 100_000, null, Schedulers.boundedElastic());
		assertThat(run(lua, "local n = 0 for i = 1, 1000 do n = n + i end return n", "{}").asInt()).isEqualTo(500500);
	}

	@Test
	void endlessRecursionIsAPlainError() {
		assertThat(failure("local function f() return 1 + f() end return f()"))
			.isEqualTo("Lua execution error: stack overflow");
	}

	// --- sandbox ---

	@Test
	void theLibrariesAreLimited() {
		JsonNode output = run("""
				return { io = type(io), debug = type(debug), package = type(package), require = type(require),
				  dofile = type(dofile), loadfile = type(loadfile), load = type(load), loadstring = type(loadstring),
				  collectgarbage = type(collectgarbage), luajava = type(luajava), coroutine = type(coroutine),
				  execute = type(os.execute), exit = type(os.exit), remove = type(os.remove), rename = type(os.rename),
				  time = type(os.time), date = type(os.date), clock = type(os.clock), getenv = type(os.getenv),
				  string = type(string), table = type(table), math = type(math), bit32 = type(bit32),
				  pcall = type(pcall), setmetatable = type(setmetatable) }""", "{}");
		for (String absent : List.of("io", "debug", "package", "require", "dofile", "loadfile", "load", "loadstring",
				"collectgarbage", "luajava", "coroutine", "execute", "exit", "remove", "rename")) {
			assertThat(output.get(absent).asText()).as(absent).isEqualTo("nil");
		}
		for (String present : List.of("time", "date", "clock", "getenv", "pcall", "setmetatable")) {
			assertThat(output.get(present).asText()).as(present).isEqualTo("function");
		}
		for (String library : List.of("string", "table", "math", "bit32")) {
			assertThat(output.get(library).asText()).as(library).isEqualTo("table");
		}
		assertThat(run("return bit32.band(12, 10) + math.floor(2.5) + #string.rep('x', 3)", "{}").asInt())
			.isEqualTo(8 + 2 + 3);
	}

	@Test
	void callingAMissingLibraryIsAnOrdinaryLuaError() {
		assertThat(failure("local f = io.open('/etc/passwd')")).startsWith("Lua execution error: script:1 attempt to index");
		assertThat(failure("local r = os.execute('ls')")).startsWith("Lua execution error: script:1 attempt to call");
		assertThat(failure("local d = debug.getinfo(1)")).startsWith("Lua execution error: script:1 attempt to index");
		assertThat(failure("local m = require('os')")).startsWith("Lua execution error: script:1 attempt to call");
		assertThat(failure("local c = luajava.bindClass('java.lang.System')"))
			.startsWith("Lua execution error: script:1 attempt to index");
	}

	@Test
	void theStringMetatableIsReadOnlyForEveryone() {
		assertThat(failure("getmetatable('').__index.upper = function() return 'hacked' end"))
			.isEqualTo("Lua execution error: script:1 table is read-only");
		assertThat(failure("rawset(getmetatable(''), '__index', {})")).contains("table is read-only");
		assertThat(failure("setmetatable(getmetatable(''), {})")).contains("table is read-only");
		assertThat(run("return ('abc'):upper()", "{}").asText()).isEqualTo("ABC");
	}

	@Test
	void changingALibraryOrAGlobalLeavesNoTraceInTheNextExecution() {
		assertThat(run("string.upper = function() return 'hacked' end; leaked = 42; math.pi = 3; return string.upper('a')",
				"{}").asText()).isEqualTo("hacked");
		assertThat(run("return { upper = string.upper('a'), method = ('a'):upper(), leaked = leaked, pi = math.pi > 3.14 }",
				"{}")).hasToString("{\"method\":\"A\",\"pi\":true,\"upper\":\"A\"}");
	}

	@Test
	void aStoppedScriptLeavesNoTrace() {
		LuaMiddleware lua = new LuaMiddleware(LuaScripts.none(), 100_000, null, Schedulers.boundedElastic());
		failure(lua, "leaked = 1; string.upper = nil; while true do end");
		assertThat(run(lua, "return { leaked = leaked, upper = string.upper('a') }", "{}"))
			.hasToString("{\"upper\":\"A\"}");
	}

	// --- preloaded scripts ---

	@Test
	void preloadedScriptsAreGlobalsAndRequireScriptReturnsThem() {
		LuaScripts scripts = LuaScripts.load(
				Map.of("util", "local M = {} function M.double(x) return 2 * x end M.name = 'util' return M"), 1_000_000);
		LuaMiddleware lua = new LuaMiddleware(scripts, 1_000_000, null, Schedulers.boundedElastic());
		assertThat(run(lua, "return { a = util.double(21), b = requireScript('util').name, c = requireScript('none') }",
				"{}")).hasToString("{\"a\":42,\"b\":\"util\"}");
		assertThat(run(lua, "util = nil; local u = requireScript('util'); return util == u", "{}").booleanValue())
			.isTrue();
	}

	@Test
	void preloadedTablesAreSharedReadOnly() {
		LuaScripts scripts = LuaScripts.load(Map.of("config", "return { limits = { max = 5 } }"), 1_000_000);
		LuaMiddleware lua = new LuaMiddleware(scripts, 1_000_000, null, Schedulers.boundedElastic());
		assertThat(failure(lua, "config.limits.max = 6")).isEqualTo("Lua execution error: script:1 table is read-only");
		assertThat(failure(lua, "table.insert(config.limits, 1)")).contains("table is read-only");
		assertThat(run(lua, "return config.limits.max", "{}").asInt()).isEqualTo(5);
	}

	@Test
	void preloadedFunctionsSeeTheCallersGlobalsAndCannotAssignShared() {
		Map<String, String> sources = new LinkedHashMap<>();
		sources.put("helpers", """
				local H = {}
				function H.path() return request.path end
				function H.leak() shared = 1 end
				function H.spin() while true do end end
				return H""");
		LuaScripts scripts = LuaScripts.load(sources, 1_000_000);
		LuaMiddleware lua = new LuaMiddleware(scripts, 100_000, null, Schedulers.boundedElastic());
		assertThat(run(lua, "return helpers.path()", "{\"path\":\"/p\"}").asText()).isEqualTo("/p");
		assertThat(failure(lua, "helpers.leak()"))
			.contains("cannot assign global 'shared' in preloaded script 'helpers' (its globals are shared)");
		assertThat(failure(lua, "helpers.spin()")).isEqualTo("Lua execution error: instruction budget of 100000 exceeded");
	}

	@Test
	void aBrokenPreloadedScriptStopsStartUp() {
		assertThatExceptionOfType(LuaScriptException.class)
			.isThrownBy(() -> LuaScripts.load(Map.of("bad", "return {"), 1_000_000))
			.withMessage("lua syntax error in script 'bad': bad.lua:1: unexpected symbol near '<eof>'");
		assertThatExceptionOfType(LuaScriptException.class)
			.isThrownBy(() -> LuaScripts.load(Map.of("fails", "error('no config')"), 1_000_000))
			.withMessage("script 'fails' failed at start-up: Lua execution error: fails.lua:1 no config");
		assertThatExceptionOfType(LuaScriptException.class)
			.isThrownBy(() -> LuaScripts.load(Map.of("spins", "while true do end"), 10_000))
			.withMessageContaining("instruction budget of 10000 exceeded");
	}

	// --- helpers ---

	private LuaMiddleware withDatabase() {
		return new LuaMiddleware(LuaScripts.none(), LuaMiddleware.DEFAULT_MAX_INSTRUCTIONS, this.database,
				Schedulers.boundedElastic());
	}

	private JsonNode run(String script, String state) {
		return run(new LuaMiddleware(), script, state);
	}

	private JsonNode run(LuaMiddleware lua, String script, String state) {
		try {
			return compile(lua, script).execute(new StepInput(Json.parse(state), List.of(), this.context))
				.block()
				.output();
		}
		catch (InvalidStepException ex) {
			throw new AssertionError(ex);
		}
	}

	private String failure(String script) {
		return failure(new LuaMiddleware(), script);
	}

	private String failure(LuaMiddleware lua, String script) {
		assertThatExceptionOfType(LuaExecutionException.class).isThrownBy(() -> run(lua, script, "{}"));
		try {
			run(lua, script, "{}");
		}
		catch (LuaExecutionException ex) {
			return ex.getMessage();
		}
		throw new AssertionError("unreachable");
	}

	static ExecutableStep compile(LuaMiddleware lua, String script) throws InvalidStepException {
		return lua.compile(new StepDefinition("lua", script, Optional.empty(), List.of(),
				new SourceLocation("routes/x.wp", Span.of(3, 3)), Map.of()));
	}

	static ArrayNode array() {
		return Json.NODES.arrayNode();
	}

}
