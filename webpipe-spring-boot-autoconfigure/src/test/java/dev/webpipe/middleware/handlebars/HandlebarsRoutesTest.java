package dev.webpipe.middleware.handlebars;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.language.Diagnostic;
import dev.webpipe.middleware.Json;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;

/** handlebars steps served over HTTP, the HTML read back with jsoup. */
class HandlebarsRoutesTest {

	private static final String ROUTES = """
			handlebars layout = `
			  <html>
			    <head><title>{{title}}</title></head>
			    <body>{{> @partial-block}}</body>
			  </html>
			`

			handlebars orderRow = `
			  <tr class="order{{#if (gt total 100)}} big{{/if}}" data-id="{{id}}">
			    <td>{{id}}</td><td>{{> money}}</td>
			  </tr>
			`

			handlebars money = `<span class="money">{{total}} {{#if (eq ../currency "EUR")}}€{{else}}{{../currency}}{{/if}}</span>`

			GET /orders
			  |> jq: `{ title: "Orders <all>", currency: "EUR",
			            orders: [{ id: 1, total: 50 }, { id: 2, total: 150.5 }, { id: 3, total: 101 }] }`
			  |> handlebars: `
			      {{#> layout}}
			        <h1>{{title}}</h1>
			        <table>{{#each orders}}{{> orderRow}}{{/each}}</table>
			        <p id="count">{{len orders}} orders, {{len title}} characters</p>
			      {{/layout}}
			    `

			GET /escape
			  |> jq: `{ name: "<script>alert(1)</script>", html: "<em>trusted</em>" }`
			  |> handlebars: `<p id="a">{{name}}</p><div id="b">{{{html}}}</div>`

			GET /helpers
			  |> jq: `{ a: 3, b: 3.0, s: "x", t: true, f: false, n: null, list: ["p", "q"], obj: { k: 1, j: 2 } }`
			  |> handlebars: ```
			    <i id="eq">{{#if (eq a b)}}yes{{else}}no{{/if}}</i>
			    <i id="ne">{{#if (ne s "y")}}yes{{else}}no{{/if}}</i>
			    <i id="gte">{{#if (gte a 3)}}yes{{else}}no{{/if}}</i>
			    <i id="lt">{{#if (lt a 2)}}yes{{else}}no{{/if}}</i>
			    <i id="lte">{{#if (lte a 3)}}yes{{else}}no{{/if}}</i>
			    <i id="and">{{#if (and t s)}}yes{{else}}no{{/if}}</i>
			    <i id="or">{{#if (or f n)}}yes{{else}}no{{/if}}</i>
			    <i id="not">{{#if (not f)}}yes{{else}}no{{/if}}</i>
			    <i id="unless">{{#unless f}}yes{{/unless}}</i>
			    <i id="len">{{len list}} {{len obj}} {{len missing}} {{len a}}</i>
			    <i id="each">{{#each list}}{{@index}}{{this}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}} {{/each}}</i>
			    <i id="keys">{{#each obj}}{{@key}}={{this}};{{/each}}</i>
			    <i id="with">{{#with obj}}{{k}}{{/with}}</i>
			    <i id="lookup">{{lookup list 1}}</i>
			    <i id="missing">[{{nothing}}][{{n}}]</i>
			  ```

			GET /context/:id
			  |> jq: `{ context: "overridden", name: "kim" }`
			  |> handlebars: `<p id="id">{{context.request.params.id}}</p><p id="name">{{name}}</p>`

			GET /scalar
			  |> jq: `[1, 2, 3]`
			  |> handlebars: `<p>{{#each data}}{{this}}{{/each}} {{context.request.method}}</p>`

			GET /inline
			  |> jq: `{ items: [{ name: "a" }, { name: "b" }] }`
			  |> handlebars: `{{#*inline "orderRow"}}<b>{{name}}</b>{{/inline}}{{#each items}}{{> orderRow}}{{/each}}`

			GET /stripped
			  |> jq: `{ x: "hi" }`
			  |> handlebars: `
			      <p>
			        {{x}}
			      </p>
			    `

			GET /missing-partial
			  |> handlebars: `<p>{{> nowhere}}</p>`

			GET /empty
			  |> handlebars
			""";

	private final CompiledProgram program = Programs.compile("routes/pages.wp", ROUTES);

	private final WebTestClient client = Programs.client(this.program);

	@Test
	void rendersWithPartialsPartialBlocksAndTheHtmlContentType() {
		String html = this.client.get().uri("/orders").exchange()
			.expectStatus().isOk()
			.expectHeader().contentType("text/html;charset=utf-8")
			.expectBody(String.class).returnResult().getResponseBody();
		Document page = Jsoup.parse(html);
		assertThat(page.title()).isEqualTo("Orders <all>");
		assertThat(page.select("h1").text()).isEqualTo("Orders <all>");
		Elements rows = page.select("tr.order");
		assertThat(rows).hasSize(3);
		assertThat(page.select("tr.big")).extracting((row) -> row.attr("data-id")).containsExactly("2", "3");
		assertThat(rows.get(1).select("span.money").text()).isEqualTo("150.5 €");
		assertThat(page.select("#count").text()).isEqualTo("3 orders, 12 characters");
	}

	@Test
	void doubleBracesEscapeAndTripleBracesDoNot() {
		Document page = Jsoup.parse(body("/escape"));
		assertThat(page.select("#a").text()).isEqualTo("<script>alert(1)</script>");
		assertThat(page.select("script")).isEmpty();
		assertThat(page.select("#b em").text()).isEqualTo("trusted");
	}

	@Test
	void everyHelperOfTheLanguage() {
		Document page = Jsoup.parse(body("/helpers"));
		assertThat(page.select("#eq").text()).isEqualTo("yes");
		assertThat(page.select("#ne").text()).isEqualTo("yes");
		assertThat(page.select("#gte").text()).isEqualTo("yes");
		assertThat(page.select("#lt").text()).isEqualTo("no");
		assertThat(page.select("#lte").text()).isEqualTo("yes");
		assertThat(page.select("#and").text()).isEqualTo("yes");
		assertThat(page.select("#or").text()).isEqualTo("no");
		assertThat(page.select("#not").text()).isEqualTo("yes");
		assertThat(page.select("#unless").text()).isEqualTo("yes");
		assertThat(page.select("#len").text()).isEqualTo("2 2 0 0");
		assertThat(page.select("#each").text()).isEqualTo("0pF 1qL");
		assertThat(page.select("#keys").text()).isEqualTo("k=1;j=2;");
		assertThat(page.select("#with").text()).isEqualTo("1");
		assertThat(page.select("#lookup").text()).isEqualTo("q");
		assertThat(page.select("#missing").text()).isEqualTo("[][]");
	}

	@Test
	void contextIsDollarContextAndOverridesAStateKey() {
		Document page = Jsoup.parse(body("/context/42"));
		assertThat(page.select("#id").text()).isEqualTo("42");
		assertThat(page.select("#name").text()).isEqualTo("kim");
	}

	@Test
	void aNonObjectStateRendersAsData() {
		assertThat(body("/scalar")).isEqualTo("<p>123 GET</p>");
	}

	@Test
	void anInlinePartialOverridesAVariableWithinItsTemplate() {
		assertThat(body("/inline")).isEqualTo("<b>a</b><b>b</b>");
	}

	@Test
	void indentationAndSurroundingBlankLinesAreStripped() {
		assertThat(body("/stripped")).isEqualTo("<p>\n  hi\n</p>");
	}

	@Test
	void anUnknownPartialIsALoadWarningAtItsPositionAndAHandlebarsErrorWhenRendered() {
		List<Diagnostic> warnings = this.program.warnings();
		assertThat(warnings).extracting(Diagnostic::headline)
			.containsExactly("routes/pages.wp:72:26: warning: unknown partial 'nowhere'");
		JsonNode body = Json.parse(this.client.get().uri("/missing-partial").exchange()
			.expectStatus().isEqualTo(500)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody(String.class).returnResult().getResponseBody());
		assertThat(body.at("/errors/0/type").textValue()).isEqualTo("handlebarsError");
		assertThat(body.at("/errors/0/message").textValue()).isEqualTo("unknown partial 'nowhere'");
	}

	@Test
	void anEmptyTemplateRendersNothing() {
		this.client.get().uri("/empty").exchange()
			.expectStatus().isOk()
			.expectHeader().contentType("text/html;charset=utf-8");
	}

	private String body(String uri) {
		return this.client.get().uri(uri).exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
	}

}
