package dev.webpipe.middleware.lua;

/**
 * A preloaded Lua script ({@code webpipe.lua.scripts-location}) could not be loaded: a syntax
 * error, a run-time error while it ran once at start-up, or two scripts with the same name.
 */
public final class LuaScriptException extends RuntimeException {

	public LuaScriptException(String message) {
		super(message);
	}

}
