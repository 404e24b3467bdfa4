package dev.webpipe.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;

import dev.webpipe.testing.DocsExamples;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of docs/operations.md#metrics-and-traces and docs/security.md#spring-security: their routes are the
 * ones {@link ObservationsHttpTest} and {@link SecurityHttpTest} serve, and their Java compiles.
 */
class ObservationsAndSecurityDocsTest {

	private static final String IMPORTS = """
			import io.micrometer.common.KeyValues;
			import org.springframework.context.annotation.Bean;
			import org.springframework.context.annotation.Configuration;
			import org.springframework.security.config.Customizer;
			import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
			import org.springframework.security.config.web.server.ServerHttpSecurity;
			import org.springframework.security.web.server.SecurityWebFilterChain;
			import dev.webpipe.observation.DefaultStepObservationConvention;
			import dev.webpipe.observation.StepObservationContext;
			import dev.webpipe.observation.StepObservationConvention;
			""";

	@TempDir
	Path classes;

	@Test
	void theDocumentedObservedRoutesAreTheTestedOnes() throws Exception {
		String documented = DocsExamples.blocks(DocsExamples.DOCS.resolve("operations.md"), "wp").get(1).text();
		assertRoutesServed(documented, "actuator-routes/observed.wp");
	}

	@Test
	void theDocumentedSecuredRoutesAreTheTestedOnes() throws Exception {
		List<DocsExamples.Block> blocks = DocsExamples.blocks(DocsExamples.DOCS.resolve("security.md"), "wp");
		String documented = blocks.get(blocks.size() - 1).text();
		assertRoutesServed(documented, "security-routes/who.wp");
	}

	@Test
	void theConventionBeanCompiles() throws Exception {
		String bean = DocsExamples.blocks(DocsExamples.DOCS.resolve("operations.md"), "java").get(0).text();
		compile("TeamSteps", "@Configuration(proxyBeanMethods = false)\nclass TeamSteps {\n" + bean + "}\n");
	}

	@Test
	void theSecurityConfigurationCompiles() throws Exception {
		String configuration = DocsExamples.blocks(DocsExamples.DOCS.resolve("security.md"), "java").get(0).text();
		assertThat(configuration).contains("class SecurityConfiguration");
		compile("SecurityConfiguration", configuration);
	}

	private static void assertRoutesServed(String documented, String file) throws Exception {
		String served = new ClassPathResource(file).getContentAsString(StandardCharsets.UTF_8);
		List<String> routes = List.of(documented.strip().split("\n\n"));
		assertThat(routes).isNotEmpty();
		for (String route : routes) {
			assertThat(served).as(file).contains(route.strip());
		}
	}

	private void compile(String name, String body) throws Exception {
		Path source = this.classes.resolve("com/example/" + name + ".java");
		Files.createDirectories(source.getParent());
		Files.writeString(source, "package com.example;\n" + IMPORTS + body);
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		int status = compiler.run(null, null, null, "-classpath", System.getProperty("java.class.path"), "-d",
				this.classes.toString(), source.toString());
		assertThat(status).as("javac of " + name).isZero();
	}

}
