package dev.webpipe.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;

import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hot reload over real HTTP (docs/reload.md): {@code .wp} files and a Lua script in a temporary folder, edited
 * while the application serves them; every change is awaited (Awaitility, at most 10 s), never slept on.
 */
@SpringBootTest(classes = ReloadHttpTest.ReloadApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "webpipe.reload.enabled=true", "webpipe.reload.debounce=50ms",
				"management.endpoints.web.exposure.include=webpipe,health,mappings",
				"management.endpoint.health.show-details=always", "management.health.redis.enabled=false",
				"spring.main.banner-mode=off" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class ReloadHttpTest {

	private static final Duration AT_MOST = Duration.ofSeconds(10);

	private static Path folder;

	@LocalServerPort
	private int port;

	@Autowired
	private ProgramHolder holder;

	@Autowired
	private HeldMiddleware heldMiddleware;

	private static final ConnectionProvider connections = ConnectionProvider.builder("reload-test")
		.maxConnections(500)
		.pendingAcquireMaxCount(-1)
		.build();

	@DynamicPropertySource
	static void folders(DynamicPropertyRegistry registry) throws IOException {
		folder = Files.createTempDirectory("webpipe-reload");
		Files.createDirectories(folder.resolve("scripts"));
		write("app.wp", app(1));
		write("held.wp", held(1));
		write("lua.wp", "GET /lua\n  |> lua: `return { value = version.value }`\n");
		write("scripts/version.lua", "return { value = 1 }\n");
		registry.add("webpipe.routes-location", () -> folder.toUri().toString());
		registry.add("webpipe.lua.scripts-location", () -> folder.resolve("scripts").toUri() + "*.lua");
	}

	@AfterAll
	static void removeFolder() throws IOException {
		connections.dispose();
		try (var tree = Files.walk(folder)) {
			tree.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

	private static String app(int version) {
		return "GET /hello\n  |> jq: `{ version: " + version + " }`\n";
	}

	private static String held(int version) {
		return "GET /held\n  |> held: \"2000\"\n  |> jq: `{ version: " + version + " }`\n";
	}

	/** Written as editors do: a temporary file moved over the old one. */
	private static void write(String name, String text) throws IOException {
		Path target = folder.resolve(name);
		Path written = Files.writeString(target.resolveSibling(target.getFileName() + ".tmp"), text,
				StandardCharsets.UTF_8);
		Files.move(written, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private Tuple2<Integer, String> get(String path) {
		return request("GET", path).block(AT_MOST);
	}

	private Mono<Tuple2<Integer, String>> request(String method, String path) {
		return HttpClient.create(connections)
			.baseUrl("http://127.0.0.1:" + this.port)
			.request(io.netty.handler.codec.http.HttpMethod.valueOf(method))
			.uri(path)
			.responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map((text) -> Tuples.of(response.status().code(), text + " " + response.responseHeaders()
					.get("Allow", ""))));
	}

	private JsonNode json(String path) {
		Tuple2<Integer, String> answer = get(path);
		assertThat(answer.getT1()).as(path + " answered " + answer.getT2()).isEqualTo(200);
		return Json.parse(answer.getT2().trim().getBytes(StandardCharsets.UTF_8));
	}

	@Test
	@Order(1)
	void aGoodEditIsServed() throws IOException {
		assertThat(json("/hello").path("version").asInt()).isEqualTo(1);
		JsonNode none = json("/actuator/webpipe").path("lastReload");
		assertThat(none.isNull() || none.isMissingNode()).as("no reload yet: " + none).isTrue();
		write("app.wp", app(2));
		await().atMost(AT_MOST).until(() -> json("/hello").path("version").asInt() == 2);
		JsonNode lastReload = json("/actuator/webpipe").get("lastReload");
		assertThat(lastReload.path("result").asText()).isEqualTo("loaded");
		assertThat(lastReload.path("errors")).isEmpty();
		assertThat(json("/actuator/health").at("/components/webpipe/details/lastReload/result").asText())
			.isEqualTo("loaded");
	}

	@Test
	@Order(2)
	void aBrokenEditKeepsTheProgramServingAndSaysWhy(CapturedOutput output) throws IOException {
		write("app.wp", "GET /hello\n  |> jqq: `{ version: 3 }`\n");
		await().atMost(AT_MOST)
			.until(() -> json("/actuator/webpipe").at("/lastReload/result").asText().equals("failed"));
		assertThat(json("/hello").path("version").asInt()).isEqualTo(2);
		JsonNode lastReload = json("/actuator/webpipe").get("lastReload");
		String error = lastReload.path("errors").get(0).asText();
		assertThat(error).contains("app.wp:2:6").contains("  |> jqq:").contains("^");
		assertThat(lastReload.path("routes").asInt()).isEqualTo(3);
		JsonNode health = json("/actuator/health").at("/components/webpipe");
		assertThat(health.path("status").asText()).isEqualTo("UP");
		assertThat(health.at("/details/lastReload/result").asText()).isEqualTo("failed");
		assertThat(health.at("/details/lastReload/errors/0").asText()).contains("app.wp:2:6");
		await().atMost(AT_MOST).until(() -> output.getOut().contains("app.wp:2:6"));
		assertThat(output.getOut()).contains("the previous program keeps serving").contains("  |> jqq:");
	}

	@Test
	@Order(3)
	void aFixIsServed() throws IOException {
		write("app.wp", app(3));
		await().atMost(AT_MOST).until(() -> json("/hello").path("version").asInt() == 3);
		assertThat(json("/actuator/webpipe").at("/lastReload/result").asText()).isEqualTo("loaded");
	}

	@Test
	@Order(4)
	void anAddedFileIsServedEverywhere() throws IOException {
		assertThat(get("/added").getT1()).isEqualTo(404);
		write("added.wp", "GET /added\n  |> jq: `{ added: true }`\n");
		await().atMost(AT_MOST).until(() -> get("/added").getT1() == 200);
		assertThat(get("/added").getT2()).contains("{\"added\":true}");
		// the 405/OPTIONS fallback, the endpoint and the mappings follow
		assertThat(get("/added").getT1()).isEqualTo(200);
		Tuple2<Integer, String> options = request("OPTIONS", "/added").block(AT_MOST);
		assertThat(options.getT1()).isEqualTo(204);
		assertThat(options.getT2()).contains("GET, HEAD, OPTIONS");
		assertThat(request("DELETE", "/added").block(AT_MOST).getT1()).isEqualTo(405);
		assertThat(json("/actuator/webpipe").get("routes").toString()).contains("\"path\":\"/added\"")
			.contains("\"location\":\"added.wp:1\"");
		assertThat(get("/actuator/mappings").getT2()).contains("GET /added (added.wp:1)");
	}

	@Test
	@Order(5)
	void aDeletedFileIsNoLongerServed() throws IOException {
		Files.delete(folder.resolve("added.wp"));
		await().atMost(AT_MOST).until(() -> get("/added").getT1() == 404);
		assertThat(request("OPTIONS", "/added").block(AT_MOST).getT1()).isEqualTo(404);
		assertThat(json("/actuator/webpipe").get("routes").toString()).doesNotContain("/added");
		assertThat(get("/actuator/mappings").getT2()).doesNotContain("/added");
		assertThat(json("/actuator/health").at("/components/webpipe/details/files").asInt()).isEqualTo(3);
	}

	@Test
	@Order(6)
	void anEditedLuaScriptIsServed() throws IOException {
		assertThat(json("/lua").path("value").asInt()).isEqualTo(1);
		write("scripts/version.lua", "return { value = 2 }\n");
		await().atMost(AT_MOST).until(() -> json("/lua").path("value").asInt() == 2);
	}

	/**
	 * A few hundred requests in flight on the old program while it is replaced: none fails, each answers from the
	 * old or the new program, and the old program's resources are closed only once its last request has ended.
	 */
	@Test
	@Order(7)
	void aReloadUnderLoadFailsNoRequest() throws Exception {
		HeldMiddleware.CLOSED.clear();
		HeldMiddleware.ACTIVE_AT_CLOSE.set(0);
		int serving = this.heldMiddleware.compiled.get();
		List<ProgramHolder.Loaded> replaced = new CopyOnWriteArrayList<>();
		AtomicInteger inFlightAtSwap = new AtomicInteger(-1);
		this.holder.addListener((previous, current) -> {
			inFlightAtSwap.compareAndSet(-1, previous.inFlight());
			replaced.add(previous);
		});
		assertThat(json("/held").path("version").asInt()).isEqualTo(1);
		// 300 requests arrive over 0.6 s and each takes 2 s: the edit at 0.3 s swaps programs while hundreds run
		int requests = 300;
		Flux<Tuple2<Integer, String>> load = Flux.range(0, requests)
			.flatMap((i) -> Mono.delay(Duration.ofMillis(i * 2L)).then(request("GET", "/held")), requests);
		Mono<Void> edit = Mono.delay(Duration.ofMillis(300))
			.then(Mono.fromCallable(() -> {
				write("held.wp", held(2));
				return true;
			}))
			.then();
		List<Tuple2<Integer, String>> answers = new java.util.ArrayList<>(Flux.merge(load, edit.then(Mono.<Tuple2<Integer, String>>empty()))
			.collectList()
			.block(Duration.ofSeconds(30)));
		await().atMost(AT_MOST).until(() -> json("/held").path("version").asInt() == 2);
		answers.addAll(Flux.range(0, 20).flatMap((i) -> request("GET", "/held")).collectList().block(AT_MOST));

		assertThat(answers).hasSize(requests + 20);
		Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
		for (Tuple2<Integer, String> answer : answers) {
			assertThat(answer.getT1()).as(answer.getT2()).isEqualTo(200);
			String version = Json.parse(answer.getT2().trim().getBytes(StandardCharsets.UTF_8)).path("version")
				.asText();
			assertThat(version).isIn("1", "2");
			versions.computeIfAbsent(version, (key) -> new AtomicInteger()).incrementAndGet();
		}
		assertThat(versions).containsKeys("1", "2");
		assertThat(inFlightAtSwap.get()).as("requests in flight on the old program at the swap").isGreaterThan(0);
		// the old program's held step is closed after its requests, with none of them still running
		await().atMost(AT_MOST).until(() -> HeldMiddleware.CLOSED.contains(serving));
		assertThat(HeldMiddleware.ACTIVE_AT_CLOSE.get()).isZero();
		assertThat(replaced).isNotEmpty();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ReloadApplication {

		@Bean
		HeldMiddleware held() {
			return new HeldMiddleware();
		}

	}

	/**
	 * {@code held: "ms"}: answers after that many milliseconds; its step owns a resource, closed when the
	 * program is replaced and its requests have drained.
	 */
	static final class HeldMiddleware implements Middleware {

		static final List<Integer> CLOSED = new CopyOnWriteArrayList<>();

		static final AtomicInteger ACTIVE_AT_CLOSE = new AtomicInteger();

		private final AtomicInteger compiled = new AtomicInteger();

		@Override
		public String name() {
			return "held";
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) {
			return new HeldStep(this.compiled.incrementAndGet(), Long.parseLong(definition.config()));
		}

		private record HeldStep(int generation, long millis, AtomicInteger active) implements ExecutableStep,
				AutoCloseable {

			HeldStep(int generation, long millis) {
				this(generation, millis, new AtomicInteger());
			}

			@Override
			public Mono<StepResult> execute(dev.webpipe.middleware.StepInput input) {
				return Mono.defer(() -> {
					this.active.incrementAndGet();
					// counted down before the result goes on to the response (doFinally would run after it)
					return Mono.delay(Duration.ofMillis(this.millis))
						.thenReturn(StepResult.of(input.state()))
						.doOnTerminate(this.active::decrementAndGet)
						.doOnCancel(this.active::decrementAndGet);
				});
			}

			@Override
			public void close() {
				ACTIVE_AT_CLOSE.addAndGet(this.active.get());
				CLOSED.add(this.generation);
			}

		}

	}

}
