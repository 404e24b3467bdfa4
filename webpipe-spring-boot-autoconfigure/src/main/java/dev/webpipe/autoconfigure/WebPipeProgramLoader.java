package dev.webpipe.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.io.support.ResourcePatternResolver;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.SourceFile;
import dev.webpipe.middleware.MiddlewareRegistry;
import dev.webpipe.runtime.jq.JqProgram;

/** Reads, parses and compiles the {@code .wp} files of an application at start-up. */
final class WebPipeProgramLoader {

	private static final Log logger = LogFactory.getLog(WebPipeProgramLoader.class);

	private WebPipeProgramLoader() {
	}

	static CompiledProgram load(ResourcePatternResolver resolver, List<String> locations,
			MiddlewareRegistry registry, Compiler.CompilerOptions options) {
		return compile(read(resolver, locations, true), registry, options);
	}

	/**
	 * The {@code .wp} files of the locations, sorted by name.
	 * @param warn whether to log a default location that finds no file
	 * @throws RoutesNotFoundException when an explicitly set location finds no file
	 */
	static List<SourceFile> read(ResourcePatternResolver resolver, List<String> locations, boolean warn) {
		List<SourceFile> files = new ArrayList<>();
		boolean explicit = !locations.equals(List.of(WebPipeProperties.DEFAULT_ROUTES_LOCATION));
		for (String location : locations) {
			try {
				List<SourceFile> found = RouteSources.load(resolver, location);
				if (found.isEmpty()) {
					if (explicit) {
						throw new RoutesNotFoundException(location);
					}
					if (warn) {
						logger.warn("No .wp file found at " + location + "; WebPipe serves no routes");
					}
				}
				files.addAll(found);
			}
			catch (IOException ex) {
				if (explicit) {
					throw new RoutesNotFoundException(location);
				}
				throw new UncheckedIOException("Cannot read .wp files at " + location, ex);
			}
		}
		files.sort(java.util.Comparator.comparing(SourceFile::name));
		return files;
	}

	static CompiledProgram compile(List<SourceFile> files, MiddlewareRegistry registry,
			Compiler.CompilerOptions options) {
		JqProgram.loadBuiltins(); // now rather than during the first request
		CompiledProgram program = Compiler.load(files, registry, options);
		for (Diagnostic warning : program.warnings()) {
			logger.warn(warning.render());
		}
		logger.info("WebPipe loaded " + files.size() + " .wp file" + ((files.size() == 1) ? "" : "s") + " with "
				+ program.routes().size() + " route" + ((program.routes().size() == 1) ? "" : "s"));
		return program;
	}

}
