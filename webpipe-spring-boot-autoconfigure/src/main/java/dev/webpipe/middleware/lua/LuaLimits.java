package dev.webpipe.middleware.lua;

import java.time.Duration;
import java.util.Objects;

/**
 * The budget of one Lua execution (docs/middleware/lua.md#budgets), checked in the instruction hook, by the pattern
 * matcher as it backtracks, and up front by the functions that build large strings. Exceeding any is a
 * {@code luaError}.
 *
 * @param maxInstructions the most instructions ({@code webpipe.lua.max-instructions})
 * @param maxExecutionTime the longest execution, time waiting for {@code executeSql} excluded
 * ({@code webpipe.lua.max-execution-time})
 * @param maxMemory the most bytes the execution's thread may allocate ({@code webpipe.lua.max-memory})
 */
public record LuaLimits(long maxInstructions, Duration maxExecutionTime, long maxMemory) {

	/** Ten million instructions, five seconds, 32 MB. */
	public static final LuaLimits DEFAULT = new LuaLimits(10_000_000L, Duration.ofSeconds(5), 32L * 1024 * 1024);

	public LuaLimits {
		if (maxInstructions < 1) {
			throw new IllegalArgumentException("webpipe.lua.max-instructions must be at least 1");
		}
		Objects.requireNonNull(maxExecutionTime, "maxExecutionTime");
		if (maxExecutionTime.isNegative() || maxExecutionTime.isZero()) {
			throw new IllegalArgumentException("webpipe.lua.max-execution-time must be positive");
		}
		if (maxMemory < 1) {
			throw new IllegalArgumentException("webpipe.lua.max-memory must be positive");
		}
	}

	/** The default time and memory budgets with another instruction budget. */
	static LuaLimits ofInstructions(long maxInstructions) {
		return new LuaLimits(maxInstructions, DEFAULT.maxExecutionTime, DEFAULT.maxMemory);
	}

	String describeTime() {
		long millis = this.maxExecutionTime.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	String describeMemory() {
		if (this.maxMemory % (1024 * 1024) == 0) {
			return (this.maxMemory / (1024 * 1024)) + "MB";
		}
		if (this.maxMemory % 1024 == 0) {
			return (this.maxMemory / 1024) + "KB";
		}
		return this.maxMemory + " bytes";
	}

}
