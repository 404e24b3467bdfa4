package dev.webpipe.middleware.lua;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.Bit32Lib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.OsLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * The libraries a script sees (middleware.md, lua): base without {@code dofile},
 * {@code loadfile}, {@code load}, {@code loadstring}, {@code require} and
 * {@code collectgarbage}; {@code string}, {@code table}, {@code math}, {@code bit32}; {@code os}
 * limited to {@code time}, {@code date}, {@code clock} and {@code getenv}. No {@code io},
 * {@code debug}, {@code package}, {@code coroutine} or {@code luajava}.
 * <p>
 * LuaJ keeps the metatable of strings (whose {@code __index} is the {@code string} library) in
 * one JVM-wide static; it is replaced once by a read-only copy so that no script can change
 * {@code ("x"):upper()} for the others.
 */
final class LuaSandbox {

	private static final String[] REMOVED_GLOBALS = { "dofile", "loadfile", "load", "loadstring", "require",
			"collectgarbage", "module", "package" };

	private static final String[] OS_FUNCTIONS = { "time", "date", "clock", "getenv" };

	private static final java.util.regex.Pattern UNEXPECTED_TOKEN = java.util.regex.Pattern
		.compile("unexpected symbol (\\d+) \\(.\\)");

	/** LuaJ's reserved tokens, numbered from {@link #FIRST_RESERVED} (LexState.luaX_tokens). */
	private static final String[] TOKENS = { "and", "break", "do", "else", "elseif", "end", "false", "for",
			"function", "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until",
			"while", "..", "...", "==", ">=", "<=", "~=", "::", "<eof>", "<number>", "<name>", "<string>" };

	private static final int FIRST_RESERVED = 257;

	static {
		protectStringMetatable();
	}

	/** {@code getEnv(name)} and {@code os.getenv(name)}: a process environment variable or {@code nil}. */
	static final LuaValue GETENV = new OneArgFunction() {
		@Override
		public LuaValue call(LuaValue name) {
			String value = System.getenv(name.checkjstring());
			return (value != null) ? valueOf(value) : NIL;
		}
	};

	private LuaSandbox() {
	}

	/**
	 * Compiles a chunk once; the prototype is immutable and shared by every execution.
	 * @throws LuaError with LuaJ's message on a syntax error
	 */
	static Prototype compile(String source, String chunkName) {
		try {
			return LuaC.instance.compile(new ByteArrayInputStream(source.getBytes(StandardCharsets.UTF_8)),
					chunkName);
		}
		catch (IOException ex) {
			throw new LuaError(ex.getMessage());
		}
		catch (LuaError ex) {
			// Syntax errors name the chunk [string "name"]; run-time errors name it plainly.
			String message = String.valueOf(ex.getMessage());
			String quoted = "[string \"" + chunkName + "\"]";
			throw new LuaError(message.startsWith(quoted) ? chunkName + message.substring(quoted.length()) : message);
		}
	}

	/**
	 * A fresh environment with the sandbox libraries and a budget. Not thread-safe: one per execution.
	 */
	static Globals newGlobals(LuaLimits limits) {
		return populate(new Globals(), limits);
	}

	/**
	 * Loads the sandbox libraries into {@code globals}.
	 * @param limits the budget ({@link LuaExecutions#installBudget}), or {@code null} for none
	 */
	static <G extends Globals> G populate(G globals, @Nullable LuaLimits limits) {
		globals.load(new BaseLib());
		// string, table, … register themselves in package.loaded, so package goes last.
		globals.load(new PackageLib());
		globals.load(new Bit32Lib());
		globals.load(new TableLib());
		globals.load(new StringLib());
		LuaStrings.install(globals.get("string"), globals.get("table"));
		globals.load(new JseMathLib());
		globals.load(new OsLib());
		LuaValue fullOs = globals.get("os");
		LuaTable os = new LuaTable();
		for (String name : OS_FUNCTIONS) {
			os.set(name, fullOs.get(name));
		}
		// LuaJ's plain os.getenv reads Java system properties: read the process environment instead.
		os.set("getenv", GETENV);
		globals.set("os", os);
		if (limits != null) {
			// The debug library registers itself in package.loaded too.
			LuaExecutions.installBudget(globals, limits);
		}
		for (String name : REMOVED_GLOBALS) {
			globals.set(name, LuaValue.NIL);
		}
		return globals;
	}

	/**
	 * LuaJ 3.0.1 reports an unexpected token by its internal number ({@code unexpected symbol 286
	 * (…)}); this names the token the way Lua does ({@code unexpected symbol near '<eof>'}).
	 */
	static String readableSyntaxError(String message) {
		java.util.regex.Matcher matcher = UNEXPECTED_TOKEN.matcher(message);
		if (!matcher.find()) {
			return message;
		}
		int token = Integer.parseInt(matcher.group(1));
		String name;
		if (token >= FIRST_RESERVED && token - FIRST_RESERVED < TOKENS.length) {
			name = TOKENS[token - FIRST_RESERVED];
		}
		else if (token >= ' ' && token < FIRST_RESERVED) {
			name = String.valueOf((char) token);
		}
		else {
			return message;
		}
		return message.substring(0, matcher.start()) + "unexpected symbol near '" + name + "'"
				+ message.substring(matcher.end());
	}

	/** Replaces LuaJ's JVM-wide string metatable by a read-only copy (once; idempotent). */
	static synchronized void protectStringMetatable() {
		if (LuaString.s_metatable == null) {
			// Loading the string library creates the metatable.
			Globals probe = new Globals();
			probe.load(new BaseLib());
			probe.load(new PackageLib());
			probe.load(new StringLib());
		}
		if (!(LuaString.s_metatable instanceof ReadOnlyLuaTable)) {
			// ("x"):find(p) must use the budgeted functions too
			LuaStrings.install(LuaString.s_metatable.rawget(LuaValue.INDEX), LuaValue.NIL);
			LuaString.s_metatable = ReadOnlyLuaTable.of(LuaString.s_metatable);
		}
	}

}
