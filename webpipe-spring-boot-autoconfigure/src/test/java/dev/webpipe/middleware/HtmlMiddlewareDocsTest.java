package dev.webpipe.middleware;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.middleware.Json;
import dev.webpipe.testing.DocsExamples;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of the pages of {@code handlebars} and {@code validate}: each compiles without a
 * warning, and the answers the pages quote are the answers.
 */
class HtmlMiddlewareDocsTest {

	@Test
	void everyExampleCompilesWithoutWarnings() throws Exception {
		for (String page : List.of("handlebars.md", "validate.md")) {
			for (DocsExamples.Block block : DocsExamples.blocks(DocsExamples.DOCS.resolve("middleware/" + page))) {
				assertThat(Programs.compile(block.name(), block.text()).warnings()).as(block.name()).isEmpty();
			}
		}
	}

	@Test
	void theHandlebarsPageAnswersAsQuoted() throws Exception {
		List<DocsExamples.Block> blocks = DocsExamples.blocks(DocsExamples.DOCS.resolve("middleware/handlebars.md"));
		assertThat(get(blocks.get(0), "/hello/ada"))
			.isEqualTo("<h1>Hello, ada!</h1>\n<ul><li>tea</li><li>cake</li></ul>");
		assertThat(get(blocks.get(1), "/tags")).isEqualTo("<p>#wp #html on GET</p>");
		Document products = Jsoup.parse(get(blocks.get(2), "/products"));
		assertThat(products.title()).isEqualTo("Products");
		assertThat(products.select("tr").eachText()).containsExactly("Desk 120 EUR", "Sticker free");
		assertThat(get(blocks.get(3), "/bold")).isEqualTo("<ul><li><b>a</b></li><li><b>b</b></li></ul>");
		Document cart = Jsoup.parse(get(blocks.get(4), "/cart"));
		assertThat(cart.select("p").eachText()).containsExactly("2 items", "tea x2", "cake (none)");
		assertThat(cart.select("p.first").text()).isEqualTo("tea x2");
	}

	@Test
	void theValidatePageAnswersAsQuoted() throws Exception {
		List<DocsExamples.Block> blocks = DocsExamples.blocks(DocsExamples.DOCS.resolve("middleware/validate.md"));
		WebTestClient signup = Programs.client(Programs.compile("validate.md", blocks.get(0).text()));
		String answer = new String(signup.post().uri("/signup").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"A\",\"email\":\"a@example.com\",\"age\":30,\"terms\":true}").exchange()
			.expectStatus().isBadRequest().expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8);
		assertThat(Json.write(Json.parse(answer).get("errors"))).isEqualTo("[{\"type\":\"validationError\","
				+ "\"field\":\"name\",\"context\":\"name\",\"rule\":\"minLength\","
				+ "\"message\":\"Field 'name' must be at least 2 characters\"}]");
		signup.post().uri("/signup").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"Ada\",\"email\":\"a@example.com\",\"age\":30,\"terms\":true}").exchange()
			.expectStatus().isOk().expectBody().json("{\"welcome\":\"Ada\"}", true);
		WebTestClient contact = Programs.client(Programs.compile("validate.md", blocks.get(2).text()));
		contact.post().uri("/contact").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"email\":\"x\"}").exchange()
			.expectStatus().isEqualTo(422).expectBody()
			.json("{\"problem\":\"Field 'email' must be a valid email address\",\"field\":\"email\"}", true);
	}

	private static String get(DocsExamples.Block block, String path) {
		CompiledProgram program = Programs.compile(block.name(), block.text());
		byte[] body = Programs.client(program).get().uri(path).exchange().expectStatus().isOk()
			.expectHeader().contentType("text/html;charset=utf-8")
			.expectBody().returnResult().getResponseBody();
		return new String(body, StandardCharsets.UTF_8);
	}

}
