package dev.webpipe.middleware.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webpipe.middleware.store.KeyTemplate;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.language.LoadException;
import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.Json;
import dev.webpipe.testing.Programs;
import dev.webpipe.testing.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code cache} on the local store, with time driven by a test clock: hits, the fresh and stale periods,
 * what is never stored, keys, and load-time errors.
 */
class CacheMiddlewareTest {

	private final TestClock clock = new TestClock();

	private final LocalCacheStore store = new LocalCacheStore(this.clock);

	private final AtomicInteger runs = new AtomicInteger();

	@BeforeEach
	void reset() {
		this.runs.set(0);
	}

	@Test
	void aFreshEntryEndsTheRunAStaleOneIsRefreshedAnExpiredOneIsGone() {
		WebTestClient client = client("""
				config cache { staleWhileRevalidate: 30 }
				GET /counted
				  |> cache: `ttl: 10`
				  |> count
				  |> jq: `{ n: .n }`
				""");
		assertThat(get(client, "/counted")).isEqualTo("{\"n\":1}");
		assertThat(get(client, "/counted")).isEqualTo("{\"n\":1}");
		this.clock.advance(Duration.ofSeconds(11));
		// stale, and no request is refreshing it: this one refreshes
		assertThat(get(client, "/counted")).isEqualTo("{\"n\":2}");
		assertThat(get(client, "/counted")).isEqualTo("{\"n\":2}");
		this.clock.advance(Duration.ofSeconds(41));
		assertThat(get(client, "/counted")).isEqualTo("{\"n\":3}");
		assertThat(this.runs).hasValue(3);
	}

	@Test
	void aStaleEntryIsServedWhileAnotherRequestHoldsTheRefresherSlot() {
		WebTestClient client = client("""
				config cache { staleWhileRevalidate: 60 }
				GET /counted
				  |> cache: `ttl: 10, keyTemplate: held`
				  |> count
				  |> jq: `{ n: .n }`
				""");
		assertThat(get(client, "/counted")).isEqualTo("{\"n\":1}");
		this.clock.advance(Duration.ofSeconds(11));
		assertThat(this.store.tryRefresh("held", CacheMiddleware.REFRESH_HOLD).block()).isTrue();
		assertThat(get(client, "/counted")).isEqualTo("{\"n\":1}");
		this.clock.advance(Duration.ofSeconds(29));
		assertThat(get(client, "/counted")).isEqualTo("{\"n\":1}");
		// a refresher that went away is taken over 30 s after it started
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(get(client, "/counted")).isEqualTo("{\"n\":2}");
		assertThat(get(client, "/counted")).isEqualTo("{\"n\":2}");
		// the refresh released the slot
		this.clock.advance(Duration.ofSeconds(11));
		assertThat(get(client, "/counted")).isEqualTo("{\"n\":3}");
	}

	@Test
	void typedErrorsServerErrorsAndTtlZeroAreNeverStored() {
		WebTestClient client = client("""
				GET /error
				  |> cache: `ttl: 60`
				  |> count
				  |> jq: `{ errors: [{ type: "lookupError", message: "no" }] }`
				GET /unavailable
				  |> cache: `ttl: 60`
				  |> count
				  |> result
				    ok(503):
				      |> jq: `{ n: .n }`
				GET /shaped
				  |> cache: `ttl: 60`
				  |> count
				  |> jq: `{ status: 502, n: .n }`
				GET /never
				  |> cache: `ttl: 0`
				  |> count
				  |> jq: `{ n: .n }`
				""");
		for (String path : List.of("/error", "/unavailable", "/shaped", "/never")) {
			this.runs.set(0);
			client.get().uri(path).exchange();
			client.get().uri(path).exchange();
			assertThat(this.runs).as(path).hasValue(2);
		}
	}

	@Test
	void aHitReplaysTheStatusAndContentType() {
		WebTestClient client = client("""
				GET /created
				  |> cache: `ttl: 60`
				  |> count
				  |> result
				    ok(201):
				      |> jq: `{ n: .n }`
				GET /page
				  |> cache: `ttl: 60`
				  |> count
				  |> html: `<p>hello</p>`
				""");
		for (int i = 0; i < 2; i++) {
			client.get().uri("/created").exchange().expectStatus().isEqualTo(201).expectBody()
				.json("{\"n\":1}");
			client.get().uri("/page").exchange().expectStatus().isOk().expectHeader()
				.contentType("text/html;charset=utf-8").expectBody(String.class).isEqualTo("<p>hello</p>");
		}
		assertThat(this.runs).hasValue(2);
	}

	@Test
	void aStepInANamedPipelineCachesThatPipelinesFinalState() {
		WebTestClient client = client("""
				pipeline load =
				  |> cache: `ttl: 60`
				  |> count
				  |> jq: `{ n: .n, from: "load" }`

				GET /wrapped
				  |> load
				  |> jq: `{ n: .n, from: .from, wrapped: true }`
				""");
		assertThat(get(client, "/wrapped")).isEqualTo("{\"n\":1,\"from\":\"load\",\"wrapped\":true}");
		assertThat(get(client, "/wrapped")).isEqualTo("{\"n\":1,\"from\":\"load\",\"wrapped\":true}");
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void keysComeFromTheTemplateOrFromTheRequest() {
		WebTestClient client = client("""
				GET /items/:id
				  |> cache: `ttl: 60, keyTemplate: item-{params.id}`
				  |> count
				  |> jq: `{ n: .n, id: .params.id }`
				GET /plain
				  |> cache: `ttl: 60`
				  |> count
				  |> jq: `{ n: .n }`
				GET /other
				  |> cache: `ttl: 60, keyTemplate: item-{query.id}`
				  |> jq: `{ other: true }`
				""");
		assertThat(get(client, "/items/1")).isEqualTo("{\"n\":1,\"id\":1}");
		assertThat(get(client, "/items/2")).isEqualTo("{\"n\":2,\"id\":2}");
		assertThat(get(client, "/items/1")).isEqualTo("{\"n\":1,\"id\":1}");
		assertThat(get(client, "/plain?a=1")).isEqualTo("{\"n\":3}");
		assertThat(get(client, "/plain?a=2")).isEqualTo("{\"n\":4}");
		assertThat(get(client, "/plain?a=1")).isEqualTo("{\"n\":3}");
		// a key template is one namespace for every step: /other?id=2 finds the entry of /items/2
		assertThat(get(client, "/other?id=2")).isEqualTo("{\"n\":2,\"id\":2}");
		assertThat(this.store.get("pipeline:" + "0".repeat(64)).block()).isNull();
	}

	@Test
	void keyTemplatesRenderMissingAndNullAsEmptyAndContainersAsJson() {
		KeyTemplate template = KeyTemplate.compile("k-{a}-{b}-{c}-{d.0}-{e}-{missing.x}-{'", "", "");
		JsonNode state = Json.parse("{\"a\":\"x y\",\"b\":null,\"c\":{\"z\":1},\"d\":[2.0],\"e\":true}");
		assertThat(template.render(state)).isEqualTo("k-x y--{\"z\":1}-2-true--{'");
	}

	@Test
	void entriesLargerThanMaxEntrySizeAreNotStoredAndDisabledStepsDoNothing() {
		WebTestClient client = client("""
				config cache { maxEntrySize: 10 }
				GET /large
				  |> cache: `ttl: 60`
				  |> count
				  |> jq: `{ n: .n, padding: "more than ten characters" }`
				GET /small
				  |> cache: `ttl: 60`
				  |> count
				  |> jq: `{ n: 0 }`
				GET /off
				  |> cache: `ttl: 60, enabled: false`
				  |> count
				  |> jq: `{ n: 0 }`
				GET /argument
				  |> cache({ ttl: 0 }): `ttl: 60`
				  |> count
				  |> jq: `{ n: 0 }`
				""");
		for (String path : List.of("/large", "/off", "/argument")) {
			this.runs.set(0);
			get(client, path);
			get(client, path);
			assertThat(this.runs).as(path).hasValue(2);
		}
		this.runs.set(0);
		get(client, "/small");
		get(client, "/small");
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void configCacheEnabledFalseTurnsEveryStepOff() {
		WebTestClient client = client("""
				config cache { enabled: false }
				GET /counted
				  |> cache: `ttl: 60`
				  |> count
				  |> jq: `{ n: .n }`
				""");
		assertThat(get(client, "/counted")).isEqualTo("{\"n\":1}");
		assertThat(get(client, "/counted")).isEqualTo("{\"n\":2}");
	}

	@Test
	void contextCacheShowsTheStepsSettings() {
		WebTestClient client = client("""
				config cache { defaultTtl: 5 }
				GET /context
				  |> cache: `keyTemplate: k-{params.x}`
				  |> jq: `{ cache: $context.cache }`
				GET /plain
				  |> cache
				  |> jq: `{ cache: $context.cache }`
				""");
		assertThat(get(client, "/context")).isEqualTo("{\"cache\":{\"enabled\":true,\"ttl\":5,\"key_template\":\"k-{params.x}\"}}");
		assertThat(get(client, "/plain")).isEqualTo("{\"cache\":{\"enabled\":true,\"ttl\":5,\"key_template\":null}}");
	}

	@Test
	void theStoreIsBoundedByTheSizeOfItsEntries() {
		this.store.setMaximumSize(1000);
		for (int i = 0; i < 20; i++) {
			this.store.put("k" + i, entry(100)).block();
		}
		assertThat(this.store.size()).isBetween(1L, 9L);
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(this.store.size()).isZero();
	}

	@Test
	void badSettingsAreLoadTimeErrorsAtTheirStep() {
		assertThatExceptionOfType(LoadException.class).isThrownBy(() -> compile("""
				GET /a
				  |> cache: `ttl: soon`
				"""))
			.withMessageContaining("app.wp:2:13: cache: invalid ttl 'soon' (seconds, 0 = never store)\n"
					+ "  |> cache: `ttl: soon`\n            ^");
		assertThatExceptionOfType(LoadException.class).isThrownBy(() -> compile("""
				GET /a
				  |> cache: `forever`
				"""))
			.withMessageContaining("app.wp:2:14: cache: cannot parse 'forever': expected 'key: value'\n"
					+ "  |> cache: `forever`\n             ^");
		assertThatExceptionOfType(LoadException.class).isThrownBy(() -> compile("""
				config cache { maxCacheSize: "big" }
				GET /a
				  |> cache
				"""))
			.withMessageContaining("app.wp:1:16: config cache: invalid value 'big' for 'maxCacheSize'"
					+ " (a whole number, 0 or more)\nconfig cache { maxCacheSize: \"big\" }\n               ^");
		assertThatExceptionOfType(LoadException.class).isThrownBy(() -> compile("""
				GET /a
				  |> cache: `ttl: 5` @async(t)
				  |> join: `t`
				"""))
			.withMessageContaining("@async is not allowed on 'cache' steps");
	}

	@Test
	void configCacheBindsOnceAndABadPropertyIsAStartUpErrorNamingIt() throws Exception {
		String file = "config cache { defaultTtl: \"2m\" }\nGET /a\n  |> cache\n";
		assertThatExceptionOfType(dev.webpipe.compile.InvalidConfigPropertiesException.class)
			.isThrownBy(() -> dev.webpipe.compile.Compiler.load(
					List.of(new dev.webpipe.language.SourceFile("app.wp", file)), Programs.registry(List.of(new CacheMiddleware(this.store, this.clock))),
					new dev.webpipe.compile.Compiler.CompilerOptions((name) -> null,
							java.util.Map.of("cache", java.util.Map.of("stale-while-revalidate", "soon")))))
			.withMessage("webpipe.config.cache.stale-while-revalidate: config cache: invalid value 'soon' for "
					+ "'staleWhileRevalidate' (seconds, or a number with ms, s, m, h or d)");
		assertThat(compile(file).routes()).hasSize(1);
		// text values (as properties give them) and durations with a unit bind to the typed settings
		assertThat(bind("{\"defaultTtl\":\"2m\",\"maxEntrySize\":\"10\",\"enabled\":\"false\"}"))
			.isEqualTo(new CacheSettings(false, 120, CacheSettings.DEFAULTS.maxCacheSize(), 10,
					CacheSettings.DEFAULTS.staleWhileRevalidate()));
	}

	private static CacheSettings bind(String json) throws Exception {
		return dev.webpipe.middleware.ConfigBlock.of("cache", CacheSettings.class)
			.bind((ObjectNode) Json.parse(json));
	}

	@Test
	void anInlineArgumentThatIsNotAnObjectIsACacheError() {
		WebTestClient client = client("""
				GET /bad
				  |> cache(.params): `ttl: 5`
				  |> jq: `.`
				GET /worse
				  |> cache("ttl"): `ttl: 5`
				  |> jq: `.`
				""");
		client.get().uri("/worse").exchange().expectStatus().isEqualTo(500).expectBody()
			.jsonPath("$.errors[0].type").isEqualTo("cacheError");
	}

	private CacheEntry entry(int size) {
		return new CacheEntry(Json.NODES.objectNode(), null, null, this.clock.instant().plusSeconds(30),
				this.clock.instant().plusSeconds(60), size);
	}

	private CompiledProgram compile(String text) {
		return Programs.compile("app.wp", text, List.of(new CacheMiddleware(this.store, this.clock), new Count()));
	}

	private WebTestClient client(String text) {
		return Programs.client(compile(text));
	}

	private static String get(WebTestClient client, String path) {
		EntityExchangeResult<byte[]> result = client.get().uri(path).exchange().expectBody().returnResult();
		return new String(result.getResponseBodyContent(), StandardCharsets.UTF_8);
	}

	/** {@code |> count}: merges {@code {n: <runs so far>}}. */
	private final class Count implements Middleware {

		@Override
		public String name() {
			return "count";
		}

		@Override
		public Behavior behavior() {
			return Behavior.MERGE;
		}

		@Override
		public ExecutableStep compile(StepDefinition definition) {
			return (input) -> {
				ObjectNode output = Json.NODES.objectNode();
				output.put("n", CacheMiddlewareTest.this.runs.incrementAndGet());
				return Mono.just(StepResult.of(output));
			};
		}

	}

}
