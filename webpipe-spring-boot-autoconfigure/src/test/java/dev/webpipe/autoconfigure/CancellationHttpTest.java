package dev.webpipe.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.webpipe.middleware.Json;
import dev.webpipe.runtime.jq.JqProgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * jq and Lua executions stop at their next checkpoint when their client goes away or their {@code @async} task times
 * out, over real HTTP (docs/security.md#budgets-for-jq-and-lua). The budgets here are a minute long, so an execution
 * that ran on to its budget would hold its worker for that minute: the hostile requests take every thread of the
 * bounded scheduler that expensive jq programs and Lua scripts run on, and once their clients are gone (or their
 * tasks have timed out) the executions end, and an ordinary request that needs that scheduler is answered, within a
 * few seconds.
 */
@SpringBootTest(classes = CancellationHttpTest.CancellationApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "webpipe.routes-location=classpath:/budgets/,classpath:/cancellation/",
				"webpipe.jq.max-evaluation-time=60s", "webpipe.jq.max-emitted-values=1000000000000000",
				"webpipe.lua.max-execution-time=60s", "webpipe.lua.max-instructions=1000000000000000",
				"webpipe.lua.max-memory=1GB", "webpipe.async.task-timeout=2s",
				"webpipe.errors.include-details=always" })
class CancellationHttpTest {

	/** Far below the budgets (60 s): what ends an execution within it is its cancellation. */
	private static final Duration STOPPED_WITHIN = Duration.ofSeconds(15);

	/** The workers of the bounded scheduler ({@code Schedulers.boundedElastic()}) that jq and Lua share. */
	private static final int WORKERS = Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE;

	private static final String[][] HOSTILE = {
			// a checkpoint at every value of range and every step of reduce
			{ "/jq/sum", "{\"n\":1e15}" },
			// joni's search, interrupted
			{ "/jq/regex", "{\"text\":\"" + "a".repeat(40) + "!\",\"pattern\":\"^(a+)+$\"}" },
			// the instruction hook
			{ "/lua/spin", "{}" },
			// the Lua pattern matcher as it backtracks
			{ "/lua/find", "{\"text\":\"" + "a".repeat(40) + "\",\"pattern\":\"" + "a*".repeat(24) + "b\"}" } };

	@LocalServerPort
	private int port;

	@Test
	void executionsWhoseClientsWentAwayStopAtTheirNextCheckpoint() throws Exception {
		awaitNoExecution();
		List<Disposable> clients = new ArrayList<>();
		for (int i = 0; i < WORKERS; i++) {
			String[] request = HOSTILE[i % HOSTILE.length];
			clients.add(abandonLater(request[0], request[1]));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> executionsRunning() >= WORKERS);
		// every worker is taken: an ordinary request that needs one waits
		CompletableFuture<Answer> jq = send("/jq/sum", "{\"n\":10}");
		CompletableFuture<Answer> lua = send("/lua/find", "{\"text\":\"xaby\",\"pattern\":\"a(b)\"}");
		Thread.sleep(1000);
		assertThat(jq).isNotDone();
		assertThat(lua).isNotDone();

		long start = System.nanoTime();
		clients.forEach(Disposable::dispose);
		assertOrdinaryAnswers(jq, lua);
		awaitNoExecution();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(STOPPED_WITHIN);
	}

	@Test
	void executionsOfTasksThatTimedOutStopAtTheirNextCheckpoint() throws Exception {
		awaitNoExecution();
		List<CompletableFuture<Answer>> timedOut = new ArrayList<>();
		for (int i = 0; i < WORKERS; i++) {
			timedOut.add((i % 2 == 0) ? send("/jq/sum-task", "{\"n\":1e15}") : send("/lua/spin-task", "{}"));
		}
		for (CompletableFuture<Answer> response : timedOut) {
			// generous: 20 busy workers on 2 cores slow everything else down, the timeouts included
			Answer answered = response.get(30, TimeUnit.SECONDS);
			assertThat(answered.statusCode()).as(answered.body()).isEqualTo(504);
			JsonNode error = Json.parse(answered.body()).path("errors").path(0);
			assertThat(error.path("type").asText()).isEqualTo("timeoutError");
			assertThat(error.path("message").asText()).contains("did not finish within 2s");
		}
		// the executions went on past the response only until their next checkpoint
		long start = System.nanoTime();
		awaitNoExecution();
		assertOrdinaryAnswers(send("/jq/sum", "{\"n\":10}"),
				send("/lua/find", "{\"text\":\"xaby\",\"pattern\":\"a(b)\"}"));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(STOPPED_WITHIN);
	}

	private void assertOrdinaryAnswers(CompletableFuture<Answer> jq,
			CompletableFuture<Answer> lua) throws Exception {
		Answer sum = jq.get(STOPPED_WITHIN.toSeconds(), TimeUnit.SECONDS);
		assertThat(sum.statusCode()).as(sum.body()).isEqualTo(200);
		assertThat(sum.body()).isEqualTo("{\"sum\":45}");
		Answer find = lua.get(STOPPED_WITHIN.toSeconds(), TimeUnit.SECONDS);
		assertThat(find.statusCode()).as(find.body()).isEqualTo(200);
		assertThat(find.body()).isEqualTo("{\"at\":2}");
	}

	private CompletableFuture<Answer> send(String path, String body) {
		return post(HttpClient.create(), path, body)
			.responseSingle((response, content) -> content.asString()
				.defaultIfEmpty("")
				.map((text) -> new Answer(response.status().code(), text)))
			.toFuture();
	}

	/** A request on a connection of its own, closed when the returned handle is disposed. */
	private Disposable abandonLater(String path, String body) {
		return post(HttpClient.newConnection(), path, body).response().subscribe((response) -> { }, (ex) -> { });
	}

	private HttpClient.ResponseReceiver<?> post(HttpClient client, String path, String body) {
		return client.headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
			.post()
			.uri("http://127.0.0.1:" + this.port + path)
			.send(ByteBufFlux.fromString(Mono.just(body)));
	}

	private static void awaitNoExecution() {
		await().atMost(STOPPED_WITHIN).until(() -> executionsRunning() == 0);
	}

	/** The threads inside a jq evaluation or a Lua execution. */
	private static long executionsRunning() {
		return Thread.getAllStackTraces().values().stream().filter((stack) -> Arrays.stream(stack).anyMatch((frame) ->
				(frame.getClassName().equals(JqProgram.class.getName()) && frame.getMethodName().equals("apply"))
						|| (frame.getClassName().equals("dev.webpipe.middleware.lua.LuaExecutions")
								&& frame.getMethodName().equals("call"))))
			.count();
	}

	private record Answer(int statusCode, String body) {
	}

	@SpringBootApplication
	static class CancellationApplication {

	}

}
