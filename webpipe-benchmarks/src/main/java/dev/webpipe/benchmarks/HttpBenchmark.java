package dev.webpipe.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.webpipe.autoconfigure.DetachedTaskLifecycle;
import dev.webpipe.instrumentation.WebPipeInstrumentation;
import dev.webpipe.middleware.http.OutboundHttp;

/**
 * The application of the HTTP benchmark ({@code java -jar webpipe-benchmarks.jar server
 * --bench.upstream=http://127.0.0.1:<port> [--bench.port-file=<file>]}): the {@code .wp} routes of
 * {@code bench/routes.wp} under {@code /wp/} and their hand-written WebFlux twins under {@code /hw/}, in one
 * Spring Boot application, sharing its WebClient (the fetch middleware's) and its R2DBC
 * {@code ConnectionFactory}. The port it serves on is written to {@code bench.port-file}.
 */
@SpringBootApplication
public class HttpBenchmark {

	private static final Logger logger = LoggerFactory.getLogger(HttpBenchmark.class);

	public static void main(String[] args) throws IOException {
		String upstream = null;
		for (String arg : args) {
			if (arg.startsWith("--bench.upstream=")) {
				upstream = arg.substring("--bench.upstream=".length());
			}
		}
		if (upstream == null || !upstream.startsWith("http://127.0.0.1:")) {
			System.err.println("usage: java -jar webpipe-benchmarks.jar server --bench.upstream=http://127.0.0.1:<port>"
					+ " [--bench.port-file=<file>]");
			System.exit(2);
			return;
		}
		Path routes = writeRoutes(upstream);
		SpringApplication application = new SpringApplication(HttpBenchmark.class);
		application.setDefaultProperties(Map.of("webpipe.routes-location", routes.toUri().toString()));
		application.run(args);
	}

	/**
	 * {@code bench/routes.wp} (the measured routes) and {@code bench/hostile.wp} (the targets of the hostile inputs
	 * of {@code faults.sh}) with their {@code UPSTREAM} placeholders replaced, in a new temporary folder.
	 */
	static Path writeRoutes(String upstream) throws IOException {
		Path folder = Files.createTempDirectory("webpipe-bench-routes");
		folder.toFile().deleteOnExit();
		for (String name : new String[] { "routes.wp", "hostile.wp" }) {
			String template;
			try (InputStream in = HttpBenchmark.class.getResourceAsStream("/bench/" + name)) {
				template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			Path file = folder.resolve(name);
			Files.writeString(file, template.replace("UPSTREAM", upstream), StandardCharsets.UTF_8);
			file.toFile().deleteOnExit();
		}
		return folder;
	}

	@Bean
	HandWrittenRoutes handWrittenRoutes(OutboundHttp webPipeOutboundHttp, DatabaseClient databaseClient,
			Environment environment) {
		return new HandWrittenRoutes(webPipeOutboundHttp.webClient(), databaseClient,
				environment.getRequiredProperty("bench.upstream"));
	}

	@Bean
	RouterFunction<ServerResponse> handWrittenRouterFunction(HandWrittenRoutes routes) {
		return routes.routes();
	}

	/**
	 * With {@code --bench.instrumentation=noop}, an instrumentation bean that overrides nothing: the cost of the
	 * runtime's calls into the instrumentation SPI when every method is the no-op default (run.sh,
	 * {@code COMPARE=instrumentation}).
	 */
	@Bean
	@ConditionalOnProperty(name = "bench.instrumentation", havingValue = "noop")
	WebPipeInstrumentation noOpInstrumentation() {
		return new WebPipeInstrumentation() {
		};
	}

	/**
	 * With {@code --bench.observations=on} or {@code off}, an observation registry with a meter handler: the
	 * {@code webpipe.step} and {@code webpipe.task} observations are on, or turned off by the predicate that
	 * {@code management.observations.enable.webpipe=false} makes (run.sh, {@code COMPARE=observations}).
	 */
	@Bean
	@ConditionalOnProperty(name = "bench.observations")
	ObservationRegistry observationRegistry(Environment environment) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
		if ("off".equals(environment.getProperty("bench.observations"))) {
			registry.observationConfig().observationPredicate((name, context) -> !name.startsWith("webpipe."));
		}
		return registry;
	}

	@Bean
	RouterFunction<ServerResponse> jvmStatsRouterFunction() {
		return JvmStats.routes();
	}

	@Bean
	RouterFunction<ServerResponse> detachedStatsRouterFunction(DetachedTaskLifecycle webPipeDetachedTasks) {
		return DetachedStats.routes(webPipeDetachedTasks.tasks());
	}

	@Bean
	static ApplicationListener<WebServerInitializedEvent> portFileWriter(Environment environment) {
		return (event) -> {
			int port = event.getWebServer().getPort();
			logger.info("Serving the benchmark routes on 127.0.0.1:{}", port);
			String portFile = environment.getProperty("bench.port-file");
			if (portFile != null) {
				try {
					Path target = Path.of(portFile);
					Path written = Files.writeString(target.resolveSibling(target.getFileName() + ".tmp"),
							Integer.toString(port), StandardCharsets.UTF_8);
					Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
				}
				catch (IOException ex) {
					throw new IllegalStateException("Cannot write the port file " + portFile, ex);
				}
			}
		};
	}

}
