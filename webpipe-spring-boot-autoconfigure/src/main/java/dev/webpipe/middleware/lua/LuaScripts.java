package dev.webpipe.middleware.lua;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.TwoArgFunction;

/**
 * The preloaded scripts of {@code webpipe.lua.scripts-location}: each runs once at start-up, and
 * its return value becomes a global of every execution, named by the file stem (also returned by
 * {@code requireScript(name)}).
 * <p>
 * The values are shared by all executions, so they are frozen: tables become read-only copies,
 * and the script's own environment refuses new globals. A function of a preloaded script sees the
 * sandbox libraries of its script and, for any other global name, the environment of the execution
 * that calls it ({@code request}, {@code executeSql}, other scripts, …); its instructions count
 * against that execution's budget.
 */
public final class LuaScripts {

	private static final LuaScripts NONE = new LuaScripts(Map.of());

	private final Map<String, LuaValue> values;

	private LuaScripts(Map<String, LuaValue> values) {
		this.values = values;
	}

	/** No preloaded script. */
	public static LuaScripts none() {
		return NONE;
	}

	/**
	 * Compiles and runs each script once.
	 * @param sources script name (file stem) to Lua source, in load order
	 * @param maxInstructions the instruction budget of each script's first run
	 * @throws LuaScriptException when a script has a syntax error or fails while running
	 */
	public static LuaScripts load(Map<String, String> sources, long maxInstructions) {
		Map<String, LuaValue> values = new LinkedHashMap<>();
		sources.forEach((name, source) -> values.put(name, run(name, source, maxInstructions)));
		return new LuaScripts(Collections.unmodifiableMap(values));
	}

	/** The frozen value of each script, by name. */
	Map<String, LuaValue> values() {
		return this.values;
	}

	/** The script names, in load order. */
	public java.util.Set<String> names() {
		return this.values.keySet();
	}

	private static LuaValue run(String name, String source, long maxInstructions) {
		Prototype prototype;
		try {
			prototype = LuaSandbox.compile(source, name + ".lua");
		}
		catch (LuaError ex) {
			throw new LuaScriptException("lua syntax error in script '" + name + "': "
					+ LuaSandbox.readableSyntaxError(LuaExecutions.message(ex)));
		}
		ScriptGlobals globals = LuaSandbox.populate(new ScriptGlobals(), null);
		globals.debuglib = new CallerBudget();
		LuaTable fallback = new LuaTable();
		fallback.set(LuaValue.INDEX, new CallerGlobal());
		globals.setmetatable(fallback);
		Globals budget = LuaSandbox.newGlobals(LuaLimits.ofInstructions(maxInstructions));
		Varargs result;
		try {
			result = LuaExecutions.call(budget, new LuaClosure(prototype, globals), LuaValue.NONE);
		}
		catch (LuaExecutionException ex) {
			throw new LuaScriptException("script '" + name + "' failed at start-up: " + ex.getMessage());
		}
		Map<LuaValue, LuaValue> copies = new IdentityHashMap<>();
		LuaValue key = LuaValue.NIL;
		while (true) {
			Varargs entry = globals.next(key);
			key = entry.arg1();
			if (key.isnil()) {
				break;
			}
			if (entry.arg(2).istable() && entry.arg(2) != globals) {
				globals.rawset(key, ReadOnlyLuaTable.of(entry.arg(2), copies));
			}
		}
		LuaValue value = (result.arg1() == globals) ? LuaValue.NIL : ReadOnlyLuaTable.of(result.arg1(), copies);
		globals.freeze(name);
		return value;
	}

	/** The environment of one preloaded script, read-only once the script ran. */
	private static final class ScriptGlobals extends Globals {

		private @Nullable String frozenName;

		void freeze(String name) {
			this.frozenName = name;
		}

		@Override
		public void rawset(LuaValue key, LuaValue value) {
			check(key);
			super.rawset(key, value);
		}

		@Override
		public void rawset(int key, LuaValue value) {
			check(LuaValue.valueOf(key));
			super.rawset(key, value);
		}

		private void check(LuaValue key) {
			if (this.frozenName != null) {
				error("cannot assign global '" + key.tojstring() + "' in preloaded script '" + this.frozenName
						+ "' (its globals are shared)");
			}
		}

	}

	/** Resolves a global that a preloaded script lacks in the calling execution's environment. */
	private static final class CallerGlobal extends TwoArgFunction {

		@Override
		public LuaValue call(LuaValue table, LuaValue key) {
			Globals caller = LuaExecutions.current();
			return (caller != null) ? caller.get(key) : NIL;
		}

	}

	/** Forwards the debug events of preloaded-script functions to the calling execution's budget. */
	private static final class CallerBudget extends DebugLib {

		private static @Nullable DebugLib target() {
			Globals caller = LuaExecutions.current();
			return (caller != null) ? caller.debuglib : null;
		}

		@Override
		public void onCall(LuaFunction f) {
			DebugLib target = target();
			if (target != null) {
				target.onCall(f);
			}
		}

		@Override
		public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
			DebugLib target = target();
			if (target != null) {
				target.onCall(c, varargs, stack);
			}
		}

		@Override
		public void onInstruction(int pc, Varargs v, int top) {
			DebugLib target = target();
			if (target != null) {
				target.onInstruction(pc, v, top);
			}
		}

		@Override
		public void onReturn() {
			DebugLib target = target();
			if (target != null) {
				target.onReturn();
			}
		}

		@Override
		public String traceback(int level) {
			DebugLib target = target();
			return (target != null) ? target.traceback(level) : "";
		}

	}

}
