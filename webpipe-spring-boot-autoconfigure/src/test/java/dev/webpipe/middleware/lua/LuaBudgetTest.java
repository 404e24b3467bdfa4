package dev.webpipe.middleware.lua;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.ZeroArgFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The time, memory and cancellation checks of one Lua execution. */
class LuaBudgetTest {

	private static final LuaLimits WIDE = new LuaLimits(Long.MAX_VALUE, Duration.ofSeconds(30), 1L << 30);

	private static String failure(LuaLimits limits, String script, AtomicBoolean cancelled) {
		Globals globals = LuaSandbox.newGlobals(limits);
		globals.set("explode", new ZeroArgFunction() {
			@Override
			public LuaValue call() {
				throw new OutOfMemoryError("Java heap space");
			}
		});
		LuaValue chunk = new LuaClosure(LuaSandbox.compile(script, "script"), globals);
		return org.junit.jupiter.api.Assertions
			.assertThrows(LuaExecutionException.class, () -> LuaExecutions.call(globals, chunk, LuaValue.NONE, cancelled))
			.getMessage();
	}

	@Test
	void aCancelledExecutionStopsAtItsNextCheckpoint() {
		assertThat(failure(WIDE, "while true do end", new AtomicBoolean(true)))
			.isEqualTo("Lua execution error: execution cancelled");
	}

	@Test
	void theTimeBudgetStopsALoopThatPcallCannotCatch() {
		LuaLimits limits = new LuaLimits(Long.MAX_VALUE, Duration.ofMillis(200), 1L << 30);
		assertThat(failure(limits, "while true do pcall(function() while true do end end) end", null))
			.isEqualTo("Lua execution error: execution time of 200ms exceeded");
	}

	@Test
	void aShortScriptBeyondTheMemoryBudgetIsRefusedAtItsEnd() {
		LuaLimits limits = new LuaLimits(Long.MAX_VALUE, Duration.ofSeconds(30), 1024 * 1024);
		assertThat(failure(limits, "local s = 'x' for i = 1, 22 do s = s .. s end return s", null))
			.isEqualTo("Lua execution error: memory budget of 1MB exceeded");
	}

	@Test
	void upFrontChecksRefuseResultsBeyondTheBudget() {
		LuaLimits limits = new LuaLimits(Long.MAX_VALUE, Duration.ofSeconds(30), 1024 * 1024);
		for (String script : new String[] { "return string.rep('x', 4e8)", "return ('ab'):rep(1e6, ',')",
				"local s = ('x'):rep(1e5) return string.format('%s%s%s%s%s%s%s%s%s%s%s', s, s, s, s, s, s, s, s, s, s, s)",
				"local s = ('x'):rep(1e5) local t = {} for i = 1, 11 do t[i] = s end return table.concat(t)",
				"local s = ('x'):rep(2e5) return (s:gsub('x', 'yyyyyy'))" }) {
			assertThat(failure(limits, script, null)).as(script)
				.isEqualTo("Lua execution error: memory budget of 1MB exceeded");
		}
	}

	@Test
	void anOutOfMemoryErrorIsALuaError() {
		assertThat(failure(WIDE, "return explode()", null)).isEqualTo("Lua execution error: not enough memory");
	}

	@Test
	void ordinaryStringWorkStaysWithinTheDefaults() {
		Globals globals = LuaSandbox.newGlobals(LuaLimits.DEFAULT);
		LuaValue chunk = new LuaClosure(LuaSandbox.compile("local t = {} for i = 1, 1000 do t[i] = ('%d'):format(i) "
				+ "end local s = table.concat(t, ',') return #s:gsub(',', ';'), s:rep(2, '|'):len()", "script"), globals);
		assertThat(LuaExecutions.call(globals, chunk, LuaValue.NONE).arg(2).toint()).isEqualTo(2 * 3892 + 1);
	}

}
