package dev.webpipe.benchmarks.routing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The hot reload benchmark (docs/reload.md), driven by {@code reload.sh}: {@code reload <rounds> <routes>...}
 * starts the application with {@code webpipe.reload.enabled} over a folder holding {@code GET /hello/:name} and
 * {@code routes - 1} other routes, then, {@code rounds} times, saves a file with one more route and measures the
 * time from the write to the first {@code 200} of the new route (the debounce, reading, parsing and compiling the
 * whole program, and the swap). Prints a Markdown table: the first save apart (it also pays for the JIT), then the
 * median, minimum and maximum of the others.
 */
public final class ReloadBenchmark {

	private ReloadBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = Math.max(2, Integer.parseInt(args[0]));
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		List<String> rows = new ArrayList<>();
		for (int i = 1; i < args.length; i++) {
			int routes = Integer.parseInt(args[i]);
			rows.add(measure(http, routes, rounds));
		}
		System.out.println("| routes | first save ms | then: median ms | min ms | max ms | rounds |");
		System.out.println("|---:|---:|---:|---:|---:|---:|");
		rows.forEach(System.out::println);
	}

	private static String measure(HttpClient http, int routes, int rounds) throws Exception {
		Path folder = Files.createTempDirectory("webpipe-reload-bench");
		Files.writeString(folder.resolve("hello.wp"), RoutingBenchmark.hello(), StandardCharsets.UTF_8);
		Files.writeString(folder.resolve("others.wp"), RoutingBenchmark.others(Math.max(0, routes - 1)),
				StandardCharsets.UTF_8);
		SpringApplication application = new SpringApplication(RoutingBenchmark.class);
		application.setDefaultProperties(Map.of("webpipe.routes-location", folder.toUri().toString(),
				"webpipe.reload.enabled", "true", "spring.sql.init.mode", "never", "server.port", "0",
				"server.address", "127.0.0.1"));
		List<Double> millis = new ArrayList<>();
		try (ConfigurableApplicationContext context = application.run()) {
			int port = Objects.requireNonNull(((WebServerApplicationContext) context).getWebServer()).getPort();
			get(http, port, "/hello/warm");
			for (int round = 0; round < rounds; round++) {
				String path = "/reloaded" + round;
				Path target = folder.resolve("added.wp");
				Path written = Files.writeString(folder.resolve("added.tmp"),
						"GET " + path + "\n  |> jq: `{ round: " + round + " }`\n", StandardCharsets.UTF_8);
				long start = System.nanoTime();
				Files.move(written, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				long deadline = start + Duration.ofSeconds(30).toNanos();
				while (get(http, port, path) != 200) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException(path + " did not answer within 30 s");
					}
					Thread.sleep(1);
				}
				millis.add((System.nanoTime() - start) / 1e6);
			}
		}
		finally {
			try (var tree = Files.walk(folder)) {
				tree.sorted(Collections.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
		// the first save also pays for the JIT compiling the reload's code; the others show the steady state
		List<Double> sorted = millis.subList(1, millis.size()).stream().sorted().toList();
		return String.format(java.util.Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %d |", routes, millis.get(0),
				sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1), rounds);
	}

	private static int get(HttpClient http, int port, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(5))
			.build();
		return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

}
