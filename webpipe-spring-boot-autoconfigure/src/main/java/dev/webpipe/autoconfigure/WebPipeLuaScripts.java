package dev.webpipe.autoconfigure;

import java.util.function.Supplier;

import dev.webpipe.middleware.lua.LuaScripts;

/**
 * The preloaded Lua scripts of {@code webpipe.lua.scripts-location} that {@code lua} steps compiled now see. A
 * reload reads them again before it compiles the {@code .wp} files, and keeps the previous scripts when either
 * fails (docs/reload.md#what-is-watched); a compiled step keeps the scripts it was compiled with.
 */
public final class WebPipeLuaScripts implements Supplier<LuaScripts> {

	private final Supplier<LuaScripts> read;

	private volatile LuaScripts current;

	WebPipeLuaScripts(Supplier<LuaScripts> read) {
		this.read = read;
		this.current = read.get();
	}

	@Override
	public LuaScripts get() {
		return this.current;
	}

	/**
	 * Reads the scripts again and runs {@code compile} with them.
	 * @throws RuntimeException what reading or compiling threw; the previous scripts stay
	 */
	<T> T reloading(Supplier<T> compile) {
		LuaScripts previous = this.current;
		this.current = this.read.get();
		try {
			return compile.get();
		}
		catch (RuntimeException | Error ex) {
			this.current = previous;
			throw ex;
		}
	}

}
