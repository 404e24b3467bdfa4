package dev.webpipe.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.luaj.vm2.Globals;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;
import org.springframework.util.StringUtils;
import reactor.core.scheduler.Schedulers;

import dev.webpipe.middleware.lua.LuaLimits;
import dev.webpipe.middleware.lua.LuaMiddleware;
import dev.webpipe.middleware.lua.LuaScriptException;
import dev.webpipe.middleware.lua.LuaScripts;
import dev.webpipe.middleware.lua.LuaSql;

/**
 * The {@code lua} middleware (LuaJ on the class path): preloads the scripts of
 * {@code webpipe.lua.scripts-location} once and applies {@code webpipe.lua.max-instructions},
 * {@code max-execution-time} and {@code max-memory}.
 * {@code executeSql} uses the application's {@link LuaSql} bean when there is one. With
 * {@code webpipe.reload.enabled} the scripts are read again on every reload (docs/reload.md#what-is-watched).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Globals.class)
class LuaConfiguration {

	@Bean
	WebPipeLuaScripts webPipeLuaScripts(WebPipeProperties properties, ResourceLoader resourceLoader) {
		WebPipeProperties.Lua lua = properties.getLua();
		return new WebPipeLuaScripts(() -> LuaScripts.load(readScripts(resourceLoader, lua.getScriptsLocation()),
				lua.getMaxInstructions()));
	}

	@Bean
	WebPipeBuiltins webPipeLuaBuiltins(WebPipeProperties properties, WebPipeLuaScripts scripts,
			ObjectProvider<LuaSql> sql) {
		WebPipeProperties.Lua lua = properties.getLua();
		LuaLimits limits = new LuaLimits(lua.getMaxInstructions(), lua.getMaxExecutionTime(),
				lua.getMaxMemory().toBytes());
		return new WebPipeBuiltins(
				List.of(new LuaMiddleware(scripts, limits, sql.getIfAvailable(), Schedulers.boundedElastic())));
	}

	/** Script name (file stem) to source, sorted by name; a location without a file means no script. */
	static Map<String, String> readScripts(ResourceLoader resourceLoader, String location) {
		Map<String, String> sources = new LinkedHashMap<>();
		if (!StringUtils.hasText(location)) {
			return sources;
		}
		Resource[] resources;
		try {
			resources = ResourcePatternUtils.getResourcePatternResolver(resourceLoader).getResources(location);
		}
		catch (IOException ex) {
			// A location that does not exist holds no script.
			return sources;
		}
		Map<String, String> origins = new LinkedHashMap<>();
		Arrays.sort(resources, Comparator.comparing((r) -> String.valueOf(r.getFilename())));
		for (Resource resource : resources) {
			String filename = resource.getFilename();
			if (filename == null || !resource.isReadable() || !filename.endsWith(".lua")) {
				continue;
			}
			String name = filename.substring(0, filename.length() - ".lua".length());
			String description = resource.getDescription();
			String first = origins.putIfAbsent(name, description);
			if (first != null) {
				throw new LuaScriptException("two Lua scripts are named '" + name + "': " + first + " and "
						+ description);
			}
			try {
				sources.put(name, resource.getContentAsString(StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read Lua script " + description, ex);
			}
		}
		return sources;
	}

}
