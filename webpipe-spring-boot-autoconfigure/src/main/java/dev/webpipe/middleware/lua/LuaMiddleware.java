package dev.webpipe.middleware.lua;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.jspecify.annotations.Nullable;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.webpipe.middleware.ErrorContract;
import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.StepContext;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Json;
import dev.webpipe.language.SourceLocation;

/**
 * {@code |> lua: `script`}: the chunk's return value replaces the state (middleware.md, lua).
 * <p>
 * Each script is compiled once at load time to a shared {@link Prototype}; each execution runs
 * in a fresh sandboxed environment ({@link LuaSandbox}) on a worker of a bounded scheduler (LuaJ
 * blocks, and {@code executeSql} may wait for the database), never on the event loop, within the
 * budget of {@link LuaLimits} (docs/middleware/lua.md#budgets). Globals: {@code request},
 * {@code context}, {@code getFlag}, {@code setFlag}, {@code getWhen}, {@code setWhen},
 * {@code getEnv}, {@code executeSql}, {@code requireScript} and one per preloaded script.
 */
public final class LuaMiddleware implements Middleware {

	/** The default of {@code webpipe.lua.max-instructions}. */
	static final long DEFAULT_MAX_INSTRUCTIONS = 10_000_000L;

	private static final String CHUNK_NAME = "script";

	private final Supplier<LuaScripts> scripts;

	private final LuaLimits limits;

	private final @Nullable LuaSql sql;

	private final Scheduler scheduler;

	/** No preloaded script, the default budget, no database, {@link Schedulers#boundedElastic()}. */
	public LuaMiddleware() {
		this(LuaScripts.none(), DEFAULT_MAX_INSTRUCTIONS, null, Schedulers.boundedElastic());
	}

	/**
	 * @param scripts the preloaded scripts
	 * @param maxInstructions the instruction budget of one execution
	 * @param sql the database of {@code executeSql}, or {@code null} for none
	 * @param scheduler a bounded scheduler whose workers may block
	 */
	public LuaMiddleware(LuaScripts scripts, long maxInstructions, @Nullable LuaSql sql, Scheduler scheduler) {
		this(scripts, LuaLimits.ofInstructions(maxInstructions), sql, scheduler);
	}

	/**
	 * @param scripts the preloaded scripts
	 * @param limits the budget of one execution
	 * @param sql the database of {@code executeSql}, or {@code null} for none
	 * @param scheduler a bounded scheduler whose workers may block
	 */
	public LuaMiddleware(LuaScripts scripts, LuaLimits limits, @Nullable LuaSql sql, Scheduler scheduler) {
		this(() -> scripts, limits, sql, scheduler);
	}

	/**
	 * @param scripts the preloaded scripts a step compiled now sees (read again when the program is reloaded,
	 * docs/reload.md#what-is-watched); a step keeps the scripts it was compiled with
	 * @param limits the budget of one execution
	 * @param sql the database of {@code executeSql}, or {@code null} for none
	 * @param scheduler a bounded scheduler whose workers may block
	 */
	public LuaMiddleware(Supplier<LuaScripts> scripts, LuaLimits limits, @Nullable LuaSql sql, Scheduler scheduler) {
		this.scripts = java.util.Objects.requireNonNull(scripts, "scripts");
		this.limits = java.util.Objects.requireNonNull(limits, "limits");
		this.sql = sql;
		this.scheduler = scheduler;
	}

	@Override
	public String name() {
		return "lua";
	}

	@Override
	public List<ErrorContract> errors() {
		return List.of(new ErrorContract("luaError", 500));
	}

	@Override
	public boolean warnsOnIdentifierConfig() {
		return true;
	}

	@Override
	public Behavior behavior() {
		return Behavior.TRANSFORM;
	}

	@Override
	public boolean requiresConfig() {
		return true;
	}

	/**
	 * A script written in a {@code .wp} file is compiled as a chunk named after the file, after as many
	 * empty lines as precede it there, so that LuaJ's line numbers, in syntax and run-time errors alike,
	 * are the lines of the {@code .wp} file (docs/middleware/lua.md#errors).
	 */
	@Override
	public ExecutableStep compile(StepDefinition definition) throws InvalidStepException {
		String chunk = definition.configStart().map(SourceLocation::file).orElse(CHUNK_NAME);
		int firstLine = definition.configStart().map((start) -> start.span().line()).orElse(1);
		Prototype prototype;
		try {
			prototype = LuaSandbox.compile("\n".repeat(Math.max(0, firstLine - 1)) + definition.config(), chunk);
		}
		catch (LuaError ex) {
			throw syntaxError(definition.config(), chunk, firstLine, LuaExecutions.message(ex));
		}
		LuaSql sql = (this.sql != null) ? this.sql.bind(definition) : null;
		Map<String, LuaValue> preloaded = this.scripts.get().values();
		ExecutableStep step = ExecutableStep.readingQuery(queryParameters(definition.config()), (input) -> Mono.defer(() -> {
			// a cancelled request or task stops the execution at its next checkpoint
			AtomicBoolean cancelled = new AtomicBoolean();
			return Mono.fromCallable(() -> StepResult.of(run(prototype, preloaded, input, sql, cancelled)))
				.subscribeOn(this.scheduler)
				.doOnCancel(() -> cancelled.set(true));
		}));
		return (sql instanceof AutoCloseable resource) ? new ClosingStep(step, resource) : step;
	}

	/** A step whose database is closed with it (docs/reload.md#what-a-reload-replaces). */
	private record ClosingStep(ExecutableStep step, AutoCloseable resource) implements ExecutableStep, AutoCloseable {

		@Override
		public Mono<StepResult> execute(StepInput input) {
			return this.step.execute(input);
		}

		@Override
		public Set<String> queryParameters() {
			return this.step.queryParameters();
		}

		@Override
		public void close() throws Exception {
			this.resource.close();
		}

	}

	/** {@code request.query.<name>} or {@code request.query["<name>"]} (or {@code '<name>'}). */
	private static final Pattern QUERY_READ = Pattern.compile(
			"(?<![A-Za-z0-9_.])request\\s*\\.\\s*query\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*([\"'])([^\"'\\\\]+)\\2\\s*])");

	/**
	 * The query parameters a script reads from the request state, found in its source, best effort
	 * (docs/openapi.md#what-is-inferred): a read through a local variable is not found.
	 */
	static Set<String> queryParameters(String script) {
		Set<String> names = new LinkedHashSet<>();
		Matcher matcher = QUERY_READ.matcher(script);
		while (matcher.find()) {
			names.add((matcher.group(1) != null) ? matcher.group(1) : matcher.group(3));
		}
		return names;
	}

	/**
	 * LuaJ reports {@code <chunk>:<line>: <detail>}. The diagnostic is placed at that line of the script,
	 * at the token LuaJ names when it is on that line once ({@code near '='}), at the script's end for
	 * {@code near '<eof>'}. A script read from no file has no {@code .wp} position: its message names
	 * the line inside the script.
	 */
	private static InvalidStepException syntaxError(String source, String chunk, int firstLine, String message) {
		String prefix = chunk + ":";
		if (message.startsWith(prefix)) {
			int colon = message.indexOf(':', prefix.length());
			if (colon > 0) {
				try {
					int line = Integer.parseInt(message.substring(prefix.length(), colon)) - (firstLine - 1);
					String detail = LuaSandbox.readableSyntaxError(message.substring(colon + 1).trim());
					String where = chunk.equals(CHUNK_NAME) ? "line " + line + " of the script: " : "";
					return new InvalidStepException("lua syntax error: " + where + detail,
							offsetOf(source, line, detail));
				}
				catch (NumberFormatException ex) {
					// not a line number: keep LuaJ's message
				}
			}
		}
		return new InvalidStepException("lua syntax error: " + LuaSandbox.readableSyntaxError(message));
	}

	private static final java.util.regex.Pattern NEAR = java.util.regex.Pattern.compile("near '(.+)'$");

	/** The offset in {@code source} of the token named by {@code detail} on script line {@code line}, or of the line. */
	private static int offsetOf(String source, int line, String detail) {
		int start = offsetOfLine(source, line);
		java.util.regex.Matcher near = NEAR.matcher(detail);
		if (start < 0 || !near.find()) {
			return start;
		}
		if (near.group(1).equals("<eof>")) {
			return source.length();
		}
		int end = source.indexOf('\n', start);
		String text = source.substring(start, (end < 0) ? source.length() : end);
		int at = text.indexOf(near.group(1));
		return (at >= 0 && at == text.lastIndexOf(near.group(1))) ? start + at : start;
	}

	private static int offsetOfLine(String source, int line) {
		int offset = 0;
		for (int i = 1; i < line && offset >= 0; i++) {
			offset = source.indexOf('\n', offset);
			offset = (offset < 0) ? -1 : offset + 1;
		}
		return Math.max(offset, -1);
	}

	private JsonNode run(Prototype prototype, Map<String, LuaValue> preloaded, StepInput input, @Nullable LuaSql sql,
			AtomicBoolean cancelled) {
		LuaJson json = new LuaJson();
		StepContext context = input.context();
		Map<String, Boolean> flags = Map.copyOf(context.flags());
		Map<String, Boolean> conditions = Map.copyOf(context.conditions());
		Globals globals = LuaSandbox.newGlobals(this.limits);
		globals.set("request", json.toLua(input.state()));
		globals.set("context", json.toLua(context.contextJson()));
		globals.set("getFlag", new OneArgFunction() {
			@Override
			public LuaValue call(LuaValue name) {
				return valueOf(Boolean.TRUE.equals(flags.get(name.checkjstring())));
			}
		});
		globals.set("getWhen", new OneArgFunction() {
			@Override
			public LuaValue call(LuaValue name) {
				return valueOf(Boolean.TRUE.equals(conditions.get(name.checkjstring())));
			}
		});
		globals.set("setFlag", new TwoArgFunction() {
			@Override
			public LuaValue call(LuaValue name, LuaValue value) {
				context.setFlag(name.checkjstring(), value.toboolean());
				return NONE;
			}
		});
		globals.set("setWhen", new TwoArgFunction() {
			@Override
			public LuaValue call(LuaValue name, LuaValue value) {
				context.setCondition(name.checkjstring(), value.toboolean());
				return NONE;
			}
		});
		globals.set("getEnv", LuaSandbox.GETENV);
		globals.set("executeSql", new ExecuteSql(json, sql));
		preloaded.forEach(globals::set);
		globals.set("requireScript", new OneArgFunction() {
			@Override
			public LuaValue call(LuaValue name) {
				String script = name.checkjstring();
				LuaValue value = preloaded.get(script);
				if (value == null) {
					return NIL;
				}
				globals.set(script, value);
				return value;
			}
		});
		Varargs result = LuaExecutions.call(globals, new LuaClosure(prototype, globals), LuaValue.NONE, cancelled);
		return json.toJson(result.arg1());
	}

	/** {@code executeSql(sql, params?)} → {@code result, err}. */
	private static final class ExecuteSql extends VarArgFunction {

		private final LuaJson json;

		private final @Nullable LuaSql sql;

		ExecuteSql(LuaJson json, @Nullable LuaSql sql) {
			this.sql = sql;
			this.json = json;
		}

		@Override
		public Varargs invoke(Varargs args) {
			LuaValue statement = args.arg1();
			if (statement.type() != TSTRING) {
				return failure("sql must be a string");
			}
			LuaValue params = args.arg(2);
			if (!params.isnil() && !params.istable()) {
				return failure("params must be a table/array");
			}
			ArrayNode values = Json.NODES.arrayNode();
			if (params.istable()) {
				for (int i = 1;; i++) {
					LuaValue value = params.rawget(i);
					if (value.isnil()) {
						break;
					}
					values.add(this.json.toJson(value));
				}
			}
			if (this.sql == null) {
				return failure("database not configured");
			}
			JsonNode result;
			try {
				result = LuaExecutions.outsideBudget(() -> this.sql.query(statement.tojstring(), values));
			}
			catch (RuntimeException ex) {
				return failure(Errors.plainMessage(ex));
			}
			return varargsOf(this.json.toLua(result), NIL);
		}

		private Varargs failure(String message) {
			return varargsOf(NIL, valueOf(message));
		}

	}

}
