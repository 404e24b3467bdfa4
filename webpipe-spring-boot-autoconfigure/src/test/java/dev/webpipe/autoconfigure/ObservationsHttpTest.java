package dev.webpipe.autoconfigure;

import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code webpipe.step} and {@code webpipe.task} observations over real HTTP (docs/operations.md#metrics-and-traces):
 * timers in the application's meter registry and at {@code /actuator/metrics}, spans of Micrometer Tracing's test
 * tracer nested under the request's span, and {@code http.client.requests} of {@code fetch} steps tagged with the
 * URL as written or the step's {@code file:line}.
 */
@WebPipeHttpTest
class ObservationsHttpTest {

	private static final String FILE = "observed.wp";

	@Autowired
	private WebTestClient client;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private SimpleTracer tracer;

	@Test
	void everyStepIsTimedByRouteMiddlewareAndOutcome() {
		this.client.get().uri("/observed/42").exchange().expectStatus().isOk();
		Timer jq = await().until(() -> this.meters.find("webpipe.step")
			.tags("route", "GET /observed/:id", "middleware", "jq", "outcome", "success")
			.timer(), (timer) -> timer != null && timer.count() >= 2);
		assertThat(jq.getId().getTag("location")).isNull();
		assertThat(this.meters.get("webpipe.step").tags("route", "GET /observed/:id", "middleware", "fetch").timer()
			.count()).isGreaterThanOrEqualTo(2);
		this.client.get().uri("/observed-failure").exchange().expectStatus().isBadRequest();
		await().until(() -> this.meters.find("webpipe.step")
			.tags("route", "GET /observed-failure", "middleware", "fail", "outcome", "validationError")
			.timer() != null);
	}

	@Test
	void theMetricsEndpointShowsTheTimers() {
		this.client.get().uri("/observed/7").exchange().expectStatus().isOk();
		this.client.get().uri("/observed-tasks").exchange().expectStatus().isOk();
		await().until(() -> this.meters.find("webpipe.task").timer() != null);
		JsonNode step = metric("/actuator/metrics/webpipe.step");
		assertThat(tagNames(step)).contains("route", "middleware", "outcome").doesNotContain("location");
		assertThat(step.path("measurements").get(0).path("value").asDouble()).isGreaterThan(0);
		JsonNode task = metric("/actuator/metrics/webpipe.task");
		assertThat(tagNames(task)).contains("route", "task", "outcome", "joined");
	}

	@Test
	void outboundCallsAreTaggedWithTheUrlAsWrittenOrTheStepsPlace() {
		this.client.get().uri("/observed/4242").exchange().expectStatus().isOk();
		List<String> uris = await().until(() -> this.meters.find("http.client.requests")
			.meters()
			.stream()
			.map((meter) -> meter.getId().getTag("uri"))
			.toList(), (list) -> list.stream().anyMatch((uri) -> uri.contains("observed.wp:5")));
		assertThat(uris).contains("/only-controller");
		assertThat(uris).noneMatch((uri) -> uri.contains("4242") || uri.contains("hidden-key"));
		assertThat(this.meters.getMeters()).map(Meter::getId)
			.noneMatch((id) -> id.getTags().stream().anyMatch((tag) -> tag.getValue().contains("4242")));
	}

	@Test
	void tasksAreTimedWithTheirOutcomeAndFate() {
		this.client.get().uri("/observed-tasks").exchange().expectStatus().isOk();
		this.client.get().uri("/observed-detached").exchange().expectStatus().isOk();
		await().until(() -> this.meters.find("webpipe.task")
			.tags("route", "GET /observed-detached", "task", "later", "outcome", "success", "joined", "false")
			.timer() != null);
		assertThat(this.meters.get("webpipe.task")
			.tags("route", "GET /observed-tasks", "task", "quick", "outcome", "success", "joined", "true")
			.timer()
			.count()).isGreaterThanOrEqualTo(1);
		assertThat(this.meters.get("webpipe.task")
			.tags("route", "GET /observed-tasks", "task", "broken", "outcome", "networkError", "joined", "true")
			.timer()
			.count()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void stepsAndTasksAreSpansUnderTheRequestsSpan() {
		this.client.get().uri("/observed/99").exchange().expectStatus().isOk();
		this.client.get().uri("/observed-tasks").exchange().expectStatus().isOk();
		SimpleSpan jq = awaitSpan((span) -> span.getName().equals("jq " + FILE + ":3"));
		SimpleSpan request = span((span) -> span.getSpanId().equals(jq.getParentId()));
		assertThat(request.getTraceId()).isEqualTo(jq.getTraceId());
		assertThat(request.getName()).containsIgnoringCase("get");
		assertThat(jq.getTags()).containsEntry("location", FILE + ":3").containsEntry("middleware", "jq");

		// the fetch step's call is a child of the step's span
		SimpleSpan fetch = awaitSpan((span) -> span.getName().equals("fetch " + FILE + ":5")
				&& span.getTraceId().equals(jq.getTraceId()));
		assertThat(fetch.getParentId()).isEqualTo(request.getSpanId());
		SimpleSpan call = awaitSpan((span) -> fetch.getSpanId().equals(span.getParentId()));
		assertThat(call.getTags()).containsEntry("uri", uriOf(FILE + ":5"));

		SimpleSpan quick = awaitSpan((span) -> span.getName().equals("@async quick"));
		SimpleSpan tasksRequest = span((span) -> span.getSpanId().equals(quick.getParentId()));
		assertThat(tasksRequest.getTraceId()).isEqualTo(quick.getTraceId());
		assertThat(quick.getTags()).containsEntry("joined", "true").containsEntry("location", FILE + ":9");
		SimpleSpan delay = awaitSpan((span) -> span.getName().equals("delay " + FILE + ":9")
				&& quick.getSpanId().equals(span.getParentId()));
		assertThat(delay.getTraceId()).isEqualTo(quick.getTraceId());
	}

	/** What Spring's client convention makes of a URI template without scheme and host: a path. */
	private static String uriOf(String template) {
		return template.startsWith("/") ? template : "/" + template;
	}

	private SimpleSpan awaitSpan(Predicate<SimpleSpan> condition) {
		return await().until(() -> this.tracer.getSpans().stream().filter(condition).findFirst().orElse(null),
				(span) -> span != null);
	}

	private SimpleSpan span(Predicate<SimpleSpan> condition) {
		return this.tracer.getSpans().stream().filter(condition).findFirst().orElseThrow();
	}

	private JsonNode metric(String uri) {
		// The application's codec limit is 1 KB; the endpoint's JSON may be larger.
		byte[] body = this.client.mutate().codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(1 << 20)).build()
			.get().uri(uri).exchange().expectStatus().isOk().expectBody().returnResult()
			.getResponseBody();
		return Json.parse(body);
	}

	private static List<String> tagNames(JsonNode metric) {
		return metric.path("availableTags").findValuesAsText("tag");
	}

}
