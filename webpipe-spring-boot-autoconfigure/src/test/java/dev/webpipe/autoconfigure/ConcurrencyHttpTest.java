package dev.webpipe.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.Matcher;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

import dev.webpipe.middleware.Json;
import dev.webpipe.testing.ParallelTiming;
import dev.webpipe.testing.HttpCases;
import dev.webpipe.testing.TestMiddleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @async} and {@code join} over real HTTP: the worked examples of concurrency.md §11
 * (the cases of {@code runtime/async.json}, served by a running server), parallel against
 * sequential, timeouts, detached tasks, client cancellation, isolation and Server-Timing.
 */
@WebPipeHttpTest
@ExtendWith(OutputCaptureExtension.class)
class ConcurrencyHttpTest {

	@Autowired
	private WebTestClient client;

	@LocalServerPort
	private int port;

	@TestFactory
	Stream<DynamicTest> workedExamplesAnswerOverHttp() throws Exception {
		JsonNode spec = Json.parse(Files.readString(Path.of("src/test/resources/runtime/async.json")));
		List<DynamicTest> tests = new ArrayList<>();
		for (JsonNode testCase : spec.get("cases")) {
			tests.add(DynamicTest.dynamicTest(testCase.get("name").asText(), () -> HttpCases.run(this.client, testCase)));
		}
		return tests.stream();
	}

	@Test
	void parallelTasksTakeAboutTheSlowestNotTheSum() {
		this.client.get().uri("/parallel").exchange().expectBody()
			.json("{\"users\":100,\"stats\":100,\"posts\":100}", true);
		this.client.get().uri("/sequential").exchange().expectBody()
			.json("{\"users\":100,\"stats\":100,\"posts\":100}", true);
		ParallelTiming.assertClearlyFaster(this.client, "/parallel", "/sequential");
	}

	@Test
	void aTaskOverTheTaskTimeoutFailsWithTimeoutError() {
		this.client.get().uri("/too-slow").exchange()
			.expectStatus().isEqualTo(504)
			.expectBody()
			.jsonPath("$.errors[0].type").isEqualTo("timeoutError")
			.jsonPath("$.errors[0].message").isEqualTo("task 'slow' did not finish within 2s")
			.jsonPath("$.errors[0].task").isEqualTo("slow");
	}

	@Test
	void aDetachedTaskThatFailsIsLoggedWithRouteAndLocation(CapturedOutput output) {
		this.client.get().uri("/detached-failure").exchange().expectStatus().isOk()
			.expectBody().json("{\"answered\":true}", true);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output).contains(
				"webpipe: detached task 'fireAndForget' of GET /detached-failure (timing.wp:20) failed: "
						+ "networkError: networkError from the test middleware"));
	}

	@Test
	void aClientThatGoesAwayCancelsTheTasksAJoinWouldWaitFor() {
		int before = TestMiddleware.CANCELLED.get();
		WebClient webClient = WebClient.create("http://127.0.0.1:" + this.port);
		try {
			webClient.get().uri("/cancellable").retrieve().bodyToMono(String.class)
				.timeout(Duration.ofMillis(300)).block();
		}
		catch (RuntimeException expected) {
			// the client gave up
		}
		await().atMost(Duration.ofSeconds(4))
			.untilAsserted(() -> assertThat(TestMiddleware.CANCELLED.get()).isGreaterThan(before));
	}

	@Test
	void tasksAndTheMainPipelineNeverSeeEachOthersChanges() {
		WebClient webClient = WebClient.create("http://127.0.0.1:" + this.port);
		List<JsonNode> answers = Flux.range(0, 60)
			.flatMap((n) -> webClient.get().uri("/isolation/" + n).retrieve().bodyToMono(byte[].class)
				.map(Json::parse), 20)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(answers).hasSize(60);
		for (JsonNode answer : answers) {
			int n = answer.get("n").asInt();
			assertThat(Json.write(answer)).isEqualTo("{\"n\":" + n + ",\"mark\":\"main\",\"list\":[" + n
					+ ",\"main\"],\"taskMark\":\"task\",\"taskList\":[" + n + "],\"taskN\":" + n + "}");
		}
	}

	@Test
	void serverTimingListsStepsAndJoinedTasksWithUniqueNamesAndStartOffsets() {
		String header = this.client.get().uri("/parallel").exchange().expectStatus().isOk()
			.returnResult(byte[].class).getResponseHeaders().getFirst("Server-Timing");
		Map<String, double[]> entries = new LinkedHashMap<>();
		Matcher entry = Pattern.compile("([^;,\\s]+);dur=(\\d+\\.\\d);start=(\\d+\\.\\d);desc=\"([^\"]*)\"")
			.matcher(header);
		while (entry.find()) {
			double start = Double.parseDouble(entry.group(3));
			double[] previous = entries.put(entry.group(1),
					new double[] { start, start + Double.parseDouble(entry.group(2)) });
			assertThat(previous).as("name %s is unique in %s", entry.group(1), header).isNull();
			if (entry.group(1).startsWith("delay.") || entry.group(1).startsWith("jq.")) {
				assertThat(entry.group(4)).matches("(delay|jq) concurrency-routes/timing\\.wp:\\d+|(delay|jq) timing\\.wp:\\d+");
			}
		}
		assertThat(entries).containsKeys("users", "stats", "posts", "delay.9", "delay.10", "delay.11", "jq.13");
		// the tasks of one join overlap
		for (String a : List.of("users", "stats", "posts")) {
			for (String b : List.of("users", "stats", "posts")) {
				assertThat(entries.get(a)[0]).as("%s starts before %s ends: %s", a, b, header)
					.isLessThan(entries.get(b)[1]);
			}
			// the step after the join starts when every task has ended
			assertThat(entries.get("jq.13")[0]).as("jq.13 after %s: %s", a, header)
				.isGreaterThanOrEqualTo(entries.get(a)[1] - 0.2);
		}
	}

}
