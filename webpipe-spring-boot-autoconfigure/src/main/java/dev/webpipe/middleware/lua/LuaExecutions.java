package dev.webpipe.middleware.lua;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.ZeroArgFunction;

import dev.webpipe.middleware.Errors;

/**
 * Runs Lua functions under an instruction budget and turns every failure into a
 * {@link LuaExecutionException} with a plain message.
 * <p>
 * The budget is a count hook ({@code debug.sethook}) on the main {@code LuaThread} of the
 * execution's own {@link Globals}, checked every {@value #CHECK_INTERVAL} instructions (or every
 * {@code max} when smaller); {@code debug} itself is removed from the script's view. When the
 * budget is spent the hook throws a {@link java.lang.Error}, which neither {@code pcall} nor
 * {@code xpcall} catch, so the script stops whatever it does. Time spent in Java functions
 * ({@code executeSql}) runs no Lua instruction and so costs nothing.
 * <p>
 * Functions of preloaded scripts belong to their script's shared environment; while an execution
 * runs on a thread, {@link #current()} names it, so that their instructions count against the
 * budget of the execution that calls them (and their missing globals resolve in its environment).
 */
final class LuaExecutions {

	static final int CHECK_INTERVAL = 1000;

	private static final ThreadLocal<Globals> CURRENT = new ThreadLocal<>();

	private LuaExecutions() {
	}

	/** The environment of the execution running on this thread, or {@code null}. */
	static Globals current() {
		return CURRENT.get();
	}

	/**
	 * Installs the budget in {@code globals} (fresh, not yet used, {@code package} still present)
	 * and hides {@code debug}.
	 * @param maxInstructions the budget of the execution
	 */
	static void installBudget(Globals globals, long maxInstructions) {
		globals.load(new DebugLib());
		LuaValue sethook = globals.get("debug").get("sethook");
		globals.set("debug", LuaValue.NIL);
		int interval = (int) Math.max(1, Math.min(CHECK_INTERVAL, maxInstructions));
		sethook.invoke(LuaValue.varargsOf(new LuaValue[] { globals.running, new BudgetHook(maxInstructions, interval),
				LuaValue.EMPTYSTRING, LuaValue.valueOf(interval) }));
	}

	/**
	 * Calls {@code function} with the budget of {@code globals} (see {@link #installBudget}).
	 * @throws LuaExecutionException when the script fails or exceeds its budget
	 */
	static Varargs call(Globals globals, LuaValue function, Varargs arguments) {
		Globals previous = CURRENT.get();
		CURRENT.set(globals);
		try {
			return function.invoke(arguments);
		}
		catch (LuaError ex) {
			throw new LuaExecutionException(message(ex), ex);
		}
		catch (BudgetExceeded ex) {
			throw new LuaExecutionException(ex.getMessage(), null);
		}
		catch (StackOverflowError ex) {
			throw new LuaExecutionException("stack overflow", null);
		}
		finally {
			if (previous != null) {
				CURRENT.set(previous);
			}
			else {
				CURRENT.remove();
			}
		}
	}

	/** LuaJ's message without the traceback, and without Java class names. */
	static String message(LuaError error) {
		if (error.getCause() != null) {
			// LuaJ wraps a Java exception as "vm error: <exception>": use the exception's own words.
			return Errors.plainMessage(error.getCause());
		}
		return Errors.plainMessage(new LuaError(String.valueOf(error.getMessage())));
	}

	/** Thrown by the count hook once the budget is spent; an Error so that pcall cannot catch it. */
	static final class BudgetExceeded extends Error {

		BudgetExceeded(long max) {
			super("instruction budget of " + max + " exceeded", null, false, false);
		}

	}

	private static final class BudgetHook extends ZeroArgFunction {

		private final long max;

		private final int interval;

		private long executed;

		BudgetHook(long max, int interval) {
			this.max = max;
			this.interval = interval;
		}

		@Override
		public LuaValue call() {
			this.executed += this.interval;
			if (this.executed > this.max) {
				throw new BudgetExceeded(this.max);
			}
			return LuaValue.NONE;
		}

	}

}
