package dev.webpipe.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The main sources of every module of the project, read from the repository beside this module. */
public final class ProjectSources {

	/** The project's root: the parent of the module whose tests run. */
	public static final Path ROOT = Path.of("..");

	private ProjectSources() {
	}

	/** The {@code src/main/java} folder of every module that has one. */
	public static List<Path> mainFolders() {
		try (Stream<Path> modules = Files.list(ROOT)) {
			return modules.filter((module) -> Files.isRegularFile(module.resolve("pom.xml")))
				.map((module) -> module.resolve("src/main/java"))
				.filter(Files::isDirectory)
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Every {@code .java} file of the main code of every module. */
	public static List<Path> mainSources() {
		List<Path> sources = new ArrayList<>();
		for (Path main : mainFolders()) {
			try (Stream<Path> files = Files.walk(main)) {
				files.filter((p) -> p.toString().endsWith(".java")).sorted().forEach(sources::add);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return sources;
	}

}
