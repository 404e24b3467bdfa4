package dev.webpipe.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.testing.RecordingInstrumentation;
import dev.webpipe.testing.RecordingInstrumentation.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application's {@code WebPipeInstrumentation} bean over real HTTP (docs/extending.md#instrumentation): it is
 * told the end of every run, step and task, with the outcome and the times, next to the built-in
 * {@code Server-Timing} instrumentation of the same application.
 */
@WebPipeHttpTest
class InstrumentationHttpTest {

	@Autowired
	private WebTestClient client;

	@Autowired
	private RecordingInstrumentation recorded;

	@Test
	void stepsAndTheRunAreToldTheirOutcome() {
		this.client.get().uri("/instrumented/steps").exchange().expectStatus().isBadRequest();
		List<Event> events = await().until(() -> this.recorded.of("GET /instrumented/steps"),
				(list) -> list.stream().anyMatch((event) -> event.kind().equals("run")));
		assertThat(events).map(Event::toString)
			.containsExactly("step jq@3 success", "step fail@4 validationError", "run GET /instrumented/steps validationError");
		for (Event event : events) {
			assertThat(event.outcome().endNanos()).isGreaterThanOrEqualTo(event.outcome().startNanos());
		}
		assertThat(events.get(1).outcome().startNanos()).isGreaterThanOrEqualTo(events.get(0).outcome().endNanos());
	}

	@Test
	void joinedTasksAreToldTheirOutcome() {
		this.client.get().uri("/instrumented/tasks").exchange().expectStatus().isOk();
		List<Event> events = await().until(() -> this.recorded.of("GET /instrumented/tasks"),
				(list) -> list.stream().anyMatch((event) -> event.kind().equals("run")));
		assertThat(events).map(Event::toString)
			.contains("task fast success", "task broken networkError", "step delay@8 success",
					"step fail@9 networkError", "step jq@11 success", "run GET /instrumented/tasks success");
		Event fast = events.stream().filter((event) -> event.name().equals("fast")).findFirst().orElseThrow();
		assertThat(fast.outcome().duration()).isGreaterThanOrEqualTo(Duration.ofMillis(10));
	}

	@Test
	void aTimedOutTaskIsToldTimeoutError() {
		this.client.get().uri("/too-slow").exchange().expectStatus().isEqualTo(504);
		List<Event> events = await().until(() -> this.recorded.of("GET /too-slow"),
				(list) -> list.stream().anyMatch((event) -> event.kind().equals("run")));
		assertThat(events).map(Event::toString)
			.contains("task slow timeoutError", "step delay@16 cancelled", "run GET /too-slow timeoutError");
		Event slow = events.stream().filter((event) -> event.name().equals("slow")).findFirst().orElseThrow();
		assertThat(slow.outcome().duration()).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(8));
	}

	@Test
	void aDetachedTaskIsToldItWasDetached() {
		this.client.get().uri("/detached-failure").exchange().expectStatus().isOk();
		List<Event> events = await().until(() -> this.recorded.of("GET /detached-failure"),
				(list) -> list.stream().anyMatch((event) -> event.kind().equals("task")));
		assertThat(events).map(Event::toString).contains("task fireAndForget networkError detached");
	}

}
