package dev.webpipe.middleware.lua;

import org.jspecify.annotations.Nullable;

import dev.webpipe.middleware.PlainMessageException;

/**
 * A Lua script failed while running: {@code Lua execution error: <LuaJ's message without the
 * traceback>}. The runtime turns it into a {@code luaError} with the step's location.
 */
final class LuaExecutionException extends PlainMessageException {

	LuaExecutionException(String detail, @Nullable Throwable cause) {
		super("Lua execution error: " + detail, cause);
	}

}
