package dev.webpipe.middleware.lua;

import java.lang.management.ManagementFactory;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.ZeroArgFunction;

import dev.webpipe.middleware.Errors;

/**
 * Runs Lua functions within their {@link LuaLimits} and turns every failure into a
 * {@link LuaExecutionException} with a plain message (docs/middleware/lua.md#budgets).
 * <p>
 * The budget is a count hook ({@code debug.sethook}) on the main {@code LuaThread} of the
 * execution's own {@link Globals}, called every {@value #CHECK_INTERVAL} instructions (or every
 * {@code max} when smaller); {@code debug} itself is removed from the script's view. At each call
 * it counts the instructions and looks at the execution's time, at the bytes its thread allocated
 * ({@code ThreadMXBean}) and at its cancellation. When any is spent the hook throws a
 * {@link java.lang.Error}, which neither {@code pcall} nor {@code xpcall} catch, so the script
 * stops whatever it does. Time spent waiting in Java functions ({@code executeSql}) runs no Lua
 * instruction and so costs nothing. The pattern matcher ({@link LuaPatterns}) and the functions that
 * build large strings ({@link LuaStrings}) check the same {@link Budget}.
 * <p>
 * Functions of preloaded scripts belong to their script's shared environment; while an execution
 * runs on a thread, {@link #current()} names it, so that their instructions count against the
 * budget of the execution that calls them (and their missing globals resolve in its environment).
 */
final class LuaExecutions {

	static final int CHECK_INTERVAL = 1000;

	private static final ThreadLocal<Globals> CURRENT = new ThreadLocal<>();

	private static final ThreadLocal<Budget> BUDGET = new ThreadLocal<>();

	private static final com.sun.management.@Nullable ThreadMXBean THREADS = threads();

	private LuaExecutions() {
	}

	/** The environment of the execution running on this thread, or {@code null}. */
	static Globals current() {
		return CURRENT.get();
	}

	/** The budget of the execution running on this thread, or {@code null}. */
	static Budget budget() {
		return BUDGET.get();
	}

	/**
	 * Installs the budget in {@code globals} (fresh, not yet used, {@code package} still present)
	 * and hides {@code debug}.
	 * @param limits the budget of the executions in {@code globals}
	 */
	static void installBudget(Globals globals, LuaLimits limits) {
		globals.load(new DebugLib());
		LuaValue sethook = globals.get("debug").get("sethook");
		globals.set("debug", LuaValue.NIL);
		int interval = (int) Math.max(1, Math.min(CHECK_INTERVAL, limits.maxInstructions()));
		sethook.invoke(LuaValue.varargsOf(new LuaValue[] { globals.running, new BudgetHook(limits, interval),
				LuaValue.EMPTYSTRING, LuaValue.valueOf(interval) }));
	}

	/**
	 * Calls {@code function} with the budget of {@code globals} (see {@link #installBudget}).
	 * @throws LuaExecutionException when the script fails or exceeds its budget
	 */
	static Varargs call(Globals globals, LuaValue function, Varargs arguments) {
		return call(globals, function, arguments, null);
	}

	/**
	 * Calls {@code function} with the budget of {@code globals} (see {@link #installBudget}).
	 * @param cancelled set when the execution's request or task goes away (it then stops at its next
	 * checkpoint), or {@code null}
	 * @throws LuaExecutionException when the script fails, exceeds its budget or is cancelled
	 */
	static Varargs call(Globals globals, LuaValue function, Varargs arguments, @Nullable AtomicBoolean cancelled) {
		Globals previous = CURRENT.get();
		Budget previousBudget = BUDGET.get();
		LuaValue hook = globals.running.state.hookfunc;
		CURRENT.set(globals);
		BUDGET.set((hook instanceof BudgetHook budgetHook) ? new Budget(budgetHook.limits, cancelled) : null);
		try {
			Varargs result = function.invoke(arguments);
			Budget budget = BUDGET.get();
			if (budget != null) {
				// a short script may end before the hook ever ran: its result is refused all the same
				budget.check();
			}
			return result;
		}
		catch (LuaError ex) {
			if (ex.getCause() instanceof BudgetExceeded exceeded) {
				throw new LuaExecutionException(exceeded.getMessage(), null);
			}
			throw new LuaExecutionException(message(ex), ex);
		}
		catch (BudgetExceeded ex) {
			throw new LuaExecutionException(ex.getMessage(), null);
		}
		catch (StackOverflowError ex) {
			throw new LuaExecutionException("stack overflow", null);
		}
		catch (OutOfMemoryError ex) {
			// best effort (docs/middleware/lua.md#budgets): what the script built is garbage now
			throw new LuaExecutionException("not enough memory", null);
		}
		finally {
			restore(CURRENT, previous);
			restore(BUDGET, previousBudget);
		}
	}

	/** Runs {@code work} (a call into Java that waits) without counting its time against the budget. */
	static <T> T outsideBudget(java.util.function.Supplier<T> work) {
		Budget budget = BUDGET.get();
		long start = System.nanoTime();
		try {
			return work.get();
		}
		finally {
			if (budget != null) {
				budget.deadline += System.nanoTime() - start;
			}
		}
	}

	private static <T> void restore(ThreadLocal<T> local, T previous) {
		if (previous != null) {
			local.set(previous);
		}
		else {
			local.remove();
		}
	}

	private static com.sun.management.@Nullable ThreadMXBean threads() {
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		if (threads instanceof com.sun.management.ThreadMXBean counting && counting.isThreadAllocatedMemorySupported()
				&& counting.isThreadAllocatedMemoryEnabled()) {
			return counting;
		}
		return null;
	}

	private static long allocatedBytes() {
		return (THREADS != null) ? THREADS.getCurrentThreadAllocatedBytes() : -1;
	}

	/** LuaJ's message without the traceback, and without Java class names. */
	static String message(LuaError error) {
		if (error.getCause() != null) {
			// LuaJ wraps a Java exception as "vm error: <exception>": use the exception's own words.
			return Errors.plainMessage(error.getCause());
		}
		return Errors.plainMessage(new LuaError(String.valueOf(error.getMessage())));
	}

	/** The budget of one execution: its instructions, time, allocated bytes and cancellation. */
	static final class Budget {

		private final LuaLimits limits;

		private final @Nullable AtomicBoolean cancelled;

		private final long allocatedAtStart;

		private long executed;

		long deadline;

		Budget(LuaLimits limits, @Nullable AtomicBoolean cancelled) {
			this.limits = limits;
			this.cancelled = cancelled;
			this.allocatedAtStart = allocatedBytes();
			this.deadline = System.nanoTime() + limits.maxExecutionTime().toNanos();
		}

		/** Counts {@code instructions} and checks the whole budget. */
		void charge(int instructions) {
			this.executed += instructions;
			if (this.executed > this.limits.maxInstructions()) {
				throw new BudgetExceeded("instruction budget of " + this.limits.maxInstructions() + " exceeded");
			}
			check();
		}

		/** Checks the time, the memory and the cancellation. */
		void check() {
			if (this.cancelled != null && this.cancelled.get()) {
				throw new BudgetExceeded("execution cancelled");
			}
			reserve(0);
			if (System.nanoTime() - this.deadline > 0) {
				throw new BudgetExceeded("execution time of " + this.limits.describeTime() + " exceeded");
			}
		}

		/** Refuses to build a value of {@code bytes} more than the memory budget has left. */
		void reserve(long bytes) {
			long allocated = (this.allocatedAtStart >= 0) ? allocatedBytes() - this.allocatedAtStart : 0;
			if (bytes < 0 || allocated + bytes > this.limits.maxMemory()) {
				throw new BudgetExceeded("memory budget of " + this.limits.describeMemory() + " exceeded");
			}
		}

	}

	/** Thrown once the budget is spent; an Error so that pcall cannot catch it. */
	static final class BudgetExceeded extends Error {

		BudgetExceeded(String message) {
			super(message, null, false, false);
		}

		/** The message given to the constructor: never {@code null}. */
		@Override
		public String getMessage() {
			return Objects.requireNonNull(super.getMessage());
		}

	}

	private static final class BudgetHook extends ZeroArgFunction {

		private final LuaLimits limits;

		private final int interval;

		BudgetHook(LuaLimits limits, int interval) {
			this.limits = limits;
			this.interval = interval;
		}

		@Override
		public LuaValue call() {
			Budget budget = BUDGET.get();
			if (budget != null) {
				budget.charge(this.interval);
			}
			return LuaValue.NONE;
		}

	}

}
