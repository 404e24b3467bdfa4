package dev.webpipe.demo;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code dev} profile (docs/demo.md#edit-save-refresh): run from the repository's root folder, it serves the
 * demo's routes from their source folder with hot reload on.
 */
class DevProfileTest {

	@Test
	void theDevProfileReloadsTheSourceRoutes() throws Exception {
		Properties dev = new Properties();
		try (InputStream in = getClass().getResourceAsStream("/application-dev.properties")) {
			assertThat(in).isNotNull();
			dev.load(in);
		}
		assertThat(dev.getProperty("webpipe.reload.enabled")).isEqualTo("true");
		String location = dev.getProperty("webpipe.routes-location");
		assertThat(location).isEqualTo("file:webpipe-demo-app/src/main/resources/routes/");
		// the module's folder is the working directory of its tests; the repository's root is its parent
		Path routes = Path.of("..").resolve(location.substring("file:".length()));
		assertThat(routes).isDirectory();
		assertThat(routes.resolve("hello.wp")).exists();
		try (var files = Files.list(routes)) {
			assertThat(files.filter((file) -> file.toString().endsWith(".wp"))).hasSizeGreaterThan(3);
		}
		assertThat(dev.getProperty("webpipe.lua.scripts-location"))
			.isEqualTo("file:webpipe-demo-app/src/main/resources/routes/scripts/*.lua");
	}

}
