package dev.webpipe.test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --webpipe.test}: the application started in its own JVM runs the tests of its
 * {@code .wp} files, prints one line per test and a closing count, and exits with 0 (all
 * passed), 1 (a test failed) or 2 (the tests have load-time errors).
 */
class CommandLineTest {

	@Test
	void allTestsPassingExitsWithZero() throws Exception {
		Run run = run("--webpipe.test", "--webpipe.routes-location=classpath:/spec/passing/");
		assertThat(run.lines()).contains("PASS  requests › passes path, query, headers and cookies",
				"PASS  graphql mocks › mocks a mutation", "29 passed, 0 failed");
		assertThat(run.exitCode()).as(run.output()).isZero();
	}

	@Test
	void aFailingTestExitsWithOneAndIsReported() throws Exception {
		Run run = run("--webpipe.test=true",
				"--webpipe.routes-location=classpath:/spec/passing/,classpath:/spec/failing/");
		assertThat(run.lines()).contains("PASS  html › checks selectors", "FAIL  failing › status",
				"      failing.wp:10: it \"status\" failed", "        failing.wp:12: then status is 201",
				"          expected status 201 but was 200", "29 passed, 22 failed");
		assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
	}

	@Test
	void testsWithLoadErrorsExitWithTwo() throws Exception {
		Run run = run("--webpipe.test", "--webpipe.routes-location=classpath:/spec/broken/");
		assertThat(run.output()).contains("14 errors in .wp files:",
				"broken.wp:18:5: unknown route GET /unknown/1 in test");
		assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
	}

	@Test
	void theTestModeListensOnARandomLoopbackPortOnly() {
		for (String value : new String[] { "", "true" }) {
			MockEnvironment environment = new MockEnvironment().withProperty("webpipe.test", value)
				.withProperty("server.port", "8080");
			new WebPipeTestMode().postProcessEnvironment(environment, new SpringApplication());
			assertThat(environment.getProperty("server.port")).isEqualTo("0");
			assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
		}
		for (String value : new String[] { null, "false" }) {
			MockEnvironment environment = new MockEnvironment().withProperty("server.port", "8080");
			if (value != null) {
				environment.setProperty("webpipe.test", value);
			}
			new WebPipeTestMode().postProcessEnvironment(environment, new SpringApplication());
			assertThat(environment.getProperty("server.port")).isEqualTo("8080");
			assertThat(environment.getProperty("server.address")).isNull();
		}
	}

	private static Run run(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(SpecTestApplication.class.getName());
		command.addAll(List.of(args));
		command.add("--spring.main.banner-mode=off");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
		return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	private record Run(int exitCode, String output) {

		List<String> lines() {
			return this.output.lines().toList();
		}

	}

}
