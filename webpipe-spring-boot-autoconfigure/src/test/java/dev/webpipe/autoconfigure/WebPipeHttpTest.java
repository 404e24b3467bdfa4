package dev.webpipe.autoconfigure;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.webpipe.testing.RecordingInstrumentation;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.testing.TestClock;
import dev.webpipe.testing.TestMiddleware;

/**
 * One application over real HTTP, shared by every test class that carries this annotation (one
 * Spring context): the {@code .wp} routes of {@code routes/}, {@code concurrency-routes/} and
 * {@code store-routes/}, the test middleware, a test clock for cache and rate-limit time, an
 * application instrumentation bean that records what it sees, an in-memory tracer, and a controller of
 * the application's own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = WebPipeHttpTest.HttpTestApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.http.codecs.max-in-memory-size=1KB", "management.endpoints.web.exposure.include=mappings,webpipe,health,metrics",
				"management.endpoint.health.show-details=always", "webpipe.config.pg.password=" + WebPipeHttpTest.SECRET,
				// Redis is on the test class path for the Redis store's tests; this application uses the local store.
				"management.health.redis.enabled=false",
				"webpipe.routes-location=classpath*:/routes/**/*.wp,classpath:/concurrency-routes/,classpath:/runtime/async.wp,"
						+ "classpath:/store-routes/,classpath:/actuator-routes/",
				"webpipe.server-timing=true", "webpipe.async.task-timeout=2s",
				// the runtime's semantics are tested here; what clients see of errors, in ExposureHttpTest
				"webpipe.errors.include-details=always" })
@AutoConfigureWebTestClient
@interface WebPipeHttpTest {

	/** A secret property value that no response may carry. */
	String SECRET = "pg-secret-7f3a9c";

	@SpringBootApplication
	class HttpTestApplication {

		@Bean
		WebPipeBuiltins testMiddleware() {
			return new WebPipeBuiltins(TestMiddleware.all());
		}

		@Bean
		RecordingInstrumentation recordingInstrumentation() {
			return new RecordingInstrumentation();
		}

		@Bean
		Middleware shout() {
			return new Middleware() {

				@Override
				public String name() {
					return "shout";
				}

				@Override
				public ExecutableStep compile(StepDefinition definition) {
					return (input) -> Mono.just(StepResult.of(input.state()));
				}

			};
		}

		/** Spans of the requests, steps and tasks (ObservationsHttpTest), kept in memory. */
		@Bean
		SimpleTracer simpleTracer() {
			return new SimpleTracer();
		}

		@Bean
		DefaultTracingObservationHandler tracingObservationHandler(SimpleTracer simpleTracer) {
			return new DefaultTracingObservationHandler(simpleTracer);
		}

		@Bean
		TestClock testClock() {
			return new TestClock();
		}

		@RestController
		static class TestController {

			@PostMapping("/mixed")
			String mixed() {
				return "controller";
			}

			@GetMapping("/only-controller")
			String only() {
				return "controller only";
			}

		}

	}

}
