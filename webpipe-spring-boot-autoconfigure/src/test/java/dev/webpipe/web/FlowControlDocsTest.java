package dev.webpipe.web;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.middleware.lua.LuaMiddleware;
import dev.webpipe.testing.DocsExamples;
import dev.webpipe.testing.Programs;

/**
 * The examples of {@code docs/flow-control.md} form one program; served, they answer what the
 * page says.
 */
class FlowControlDocsTest {

	private static WebTestClient client;

	@BeforeAll
	static void serveThePage() throws IOException {
		String program = DocsExamples.blocks(DocsExamples.DOCS.resolve("flow-control.md")).stream()
			.map(DocsExamples.Block::text)
			.collect(Collectors.joining("\n"));
		client = Programs.client(Programs.compile("flow-control.wp", program, List.of(new LuaMiddleware())), null,
				Set.of());
	}

	@Test
	void ifChoosesABranch() {
		expect("/orders/3/shipping", "{\"id\":3,\"shipping\":0}");
		expect("/orders/2/shipping", "{\"id\":2,\"shipping\":5}");
	}

	@Test
	void aConditionSetInsideTheIfConditionIsSeenLater() {
		expect("/lounge?tier=gold", "{\"welcome\":\"Welcome back\",\"lounge\":true}");
		expect("/lounge?tier=silver", "{\"welcome\":\"Hello\"}");
	}

	@Test
	void dispatchRunsTheFirstTrueCase() {
		client.get().uri("/home").header("x-preview", "1").exchange()
			.expectBody().json("{\"layout\":\"new\"}", true);
		client.get().uri("/home").header("x-preview", "1").cookie("beta", "yes").exchange()
			.expectBody().json("{\"layout\":\"new\",\"preview\":true}", true);
		expect("/home", "{\"layout\":\"classic\"}");
	}

	@Test
	void foreachReplacesTheElements() {
		expect("/cart", "{\"items\":[{\"sku\":\"a\",\"qty\":2,\"inStock\":true},{\"sku\":\"b\",\"qty\":0}]}");
	}

	@Test
	void contextShowsFlagsAndTheUser() {
		client.get().uri("/me").header("x-preview", "1").header("x-user", "ada").exchange()
			.expectBody()
			.json("{\"user\":{\"name\":\"ada\"},\"flags\":{\"new-home\":true,\"beta-tester\":false}}", true);
		client.get().uri("/me/lua").header("x-preview", "1").header("x-user", "ada").exchange()
			.expectBody().json("{\"newHome\":true,\"name\":\"ada\"}", true);
	}

	private static void expect(String uri, String json) {
		client.get().uri(uri).exchange().expectStatus().isOk().expectBody().json(json, true);
	}

}
