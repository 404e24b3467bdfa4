package dev.webpipe.demo;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's embedded PostgreSQL starts with the first connection (docs/demo.md#the-embedded-database): the tests
 * of routes without {@code pg} steps run without it, and an ordinary start serves before it has started while a
 * {@code pg} route still answers. Each case runs the demo in a JVM of its own, as {@code java -jar} does, since the
 * database is one per JVM and the other tests of this module start it.
 */
class EmbeddedDatabaseOnDemandTest {

	private static final String DATABASE_STARTS = "Starting the embedded PostgreSQL";

	private static final Duration START = Duration.ofSeconds(180);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void testsOfRoutesWithoutPgStepsNeverStartTheDatabase(@TempDir Path routes) throws Exception {
		Files.copy(Path.of("src/main/resources/routes/hello.wp"), routes.resolve("hello.wp"));
		Demo demo = Demo.start("--webpipe.test", "--webpipe.routes-location=" + routes.toUri());
		assertThat(demo.process.waitFor(START.toSeconds(), TimeUnit.SECONDS)).as(demo.output()).isTrue();
		demo.reader.join(10_000);
		assertThat(demo.output()).contains("PASS  hello › greets the name in the path", "2 passed, 0 failed")
			.contains("an embedded PostgreSQL starts on port")
			.doesNotContain(DATABASE_STARTS)
			.doesNotContain(" WARN ");
		assertThat(demo.process.exitValue()).as(demo.output()).isZero();
	}

	@Test
	void anOrdinaryStartServesBeforeTheDatabaseStartsAndAPgRouteStillAnswers() throws Exception {
		Demo demo = Demo.start("--server.port=0");
		try {
			String netty = demo.awaitLine("Netty started on port", START);
			demo.awaitLine("Started DemoApplication", START);
			Matcher port = Pattern.compile("Netty started on port (\\d+)").matcher(netty);
			assertThat(port.find()).as(netty).isTrue();
			String base = "http://127.0.0.1:" + port.group(1);
			assertThat(demo.output()).doesNotContain(DATABASE_STARTS);

			// honest and UP: not started, and a health check does not start it
			JsonNode before = this.json.readTree(get(base + "/actuator/health", 200));
			assertThat(before.path("status").asText()).isEqualTo("UP");
			assertThat(before.at("/components/r2dbc/status").asText()).isEqualTo("UP");
			assertThat(before.at("/components/r2dbc/details/state").asText())
				.isEqualTo("not started: starts with the first connection");
			// nothing was started by it, and start-up (ready listeners included) logged no warning
			assertThat(demo.output()).doesNotContain(DATABASE_STARTS).doesNotContain(" WARN ");

			// the first pg request starts it, and finds the rows of data.sql
			JsonNode user = this.json.readTree(get(base + "/users/1", 200));
			assertThat(user.path("name").asText()).isEqualTo("Ada Lovelace");
			assertThat(demo.output()).contains(DATABASE_STARTS);

			JsonNode after = this.json.readTree(get(base + "/actuator/health", 200));
			assertThat(after.at("/components/r2dbc/status").asText()).isEqualTo("UP");
			assertThat(after.at("/components/r2dbc/details/database").asText()).isEqualTo("PostgreSQL");
		}
		finally {
			demo.stop();
		}
	}

	private String get(String url, int status) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(status);
		return response.body();
	}

	/** The demo application in a JVM of its own, its output collected as it comes. */
	private static final class Demo {

		private final Process process;

		private final List<String> lines = new ArrayList<>();

		private final Thread reader;

		private Demo(Process process) {
			this.process = process;
			this.reader = new Thread(this::read, "demo-output");
			this.reader.setDaemon(true);
			this.reader.start();
		}

		static Demo start(String... args) throws IOException {
			List<String> command = new ArrayList<>();
			command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
			command.add("-cp");
			command.add(System.getProperty("java.class.path"));
			command.add(DemoApplication.class.getName());
			command.addAll(List.of(args));
			command.add("--spring.main.banner-mode=off");
			return new Demo(new ProcessBuilder(command).redirectErrorStream(true).start());
		}

		private void read() {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = in.readLine(); line != null; line = in.readLine()) {
					synchronized (this.lines) {
						this.lines.add(line);
						this.lines.notifyAll();
					}
				}
			}
			catch (IOException ex) {
				// the process ended
			}
		}

		String output() {
			synchronized (this.lines) {
				return String.join("\n", this.lines);
			}
		}

		/** The first line that contains {@code text}, once it is written. */
		String awaitLine(String text, Duration timeout) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			synchronized (this.lines) {
				while (true) {
					for (String line : this.lines) {
						if (line.contains(text)) {
							return line;
						}
					}
					long left = deadline - System.nanoTime();
					if (left <= 0 || !this.process.isAlive() && !this.reader.isAlive()) {
						throw new AssertionError("No line with \"" + text + "\" in:\n" + String.join("\n", this.lines));
					}
					this.lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, 1_000_000_000L))));
				}
			}
		}

		/** Stops the demo as a terminal would (its shutdown stops the embedded PostgreSQL). */
		void stop() throws InterruptedException {
			this.process.destroy();
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}

	}

}
