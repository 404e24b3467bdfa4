package dev.webpipe.test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --webpipe.test}: the application runs the tests of its {@code .wp} files, prints one
 * line per test and a closing count, and exits with 0 (all passed), 1 (a test failed) or 2 (the
 * tests have load-time errors). The application runs in this JVM, its exit code taken from
 * {@link SpringApplication#exit}; one test starts its own JVM to prove the process exit code.
 */
class CommandLineTest {

	@Test
	void allTestsPassingExitsWithZero() {
		Run run = runInProcess("--webpipe.test", "--webpipe.routes-location=classpath:/spec/passing/");
		assertThat(run.lines()).contains("PASS  requests › passes path, query, headers and cookies",
				"PASS  graphql mocks › mocks a mutation", "PASS  handlebars pages › renders a page with partials",
				"35 passed, 0 failed");
		assertThat(run.exitCode()).as(run.output()).isZero();
	}

	@Test
	void aFailingTestExitsTheProcessWithOneAndIsReported() throws Exception {
		Run run = runInOwnJvm("--webpipe.test=true",
				"--webpipe.routes-location=classpath:/spec/passing/,classpath:/spec/failing/");
		assertThat(run.lines()).contains("PASS  html › checks selectors", "FAIL  failing › status",
				"      failing.wp:10: it \"status\" failed", "        failing.wp:12: then status is 201",
				"          expected status 201 but was 200", "35 passed, 22 failed");
		assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
	}

	@Test
	void testsWithLoadErrorsExitWithTwo() {
		Run run = runInProcess("--webpipe.test", "--webpipe.routes-location=classpath:/spec/broken/");
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
			// the tests are done when it exits: no quiet period for Reactor Netty's event loops
			assertThat(environment.getProperty("spring.reactor.netty.shutdown-quiet-period")).isEqualTo("0s");
		}
		for (String value : new String[] { null, "false" }) {
			MockEnvironment environment = new MockEnvironment().withProperty("server.port", "8080");
			if (value != null) {
				environment.setProperty("webpipe.test", value);
			}
			new WebPipeTestMode().postProcessEnvironment(environment, new SpringApplication());
			assertThat(environment.getProperty("server.port")).isEqualTo("8080");
			assertThat(environment.getProperty("server.address")).isNull();
			assertThat(environment.getProperty("spring.reactor.netty.shutdown-quiet-period")).isNull();
		}
	}

	private static Run runInProcess(String... args) {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
		AtomicInteger exitCode = new AtomicInteger(-1);
		List<String> arguments = new ArrayList<>(List.of(args));
		arguments.add("--spring.main.banner-mode=off");
		new SpringApplicationBuilder(SpecTestApplication.class)
			.initializers((GenericApplicationContext context) -> context.registerBean(WebPipeTestCommand.class,
					() -> new WebPipeTestCommand(context, out, exitCode::set)))
			.run(arguments.toArray(String[]::new));
		return new Run(exitCode.get(), output.toString(StandardCharsets.UTF_8));
	}

	private static Run runInOwnJvm(String... args) throws IOException, InterruptedException {
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
