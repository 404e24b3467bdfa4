package dev.webpipe.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The comment lines directly above a route: summary, description and the two annotations. */
class RouteDocTest {

	@Test
	void theFirstLineIsTheSummaryAndTheOthersTheDescription() {
		RouteDoc doc = read("""
				# header of the file, not of the route

				# Look up an order.
				#
				# Answers the order with its lines.
				#   Indentation after the space is kept.
				GET /orders/:id
				  |> jq: `.`
				""", 7);
		assertThat(doc.summary()).isEqualTo("Look up an order.");
		assertThat(doc.description()).isEqualTo("Answers the order with its lines.\n  Indentation after the space is kept.");
		assertThat(doc.responses()).isEmpty();
		assertThat(doc.queryParameters()).isEmpty();
	}

	@Test
	void aRouteWithoutCommentsOrSeparatedByABlankLineHasNone() {
		assertThat(read("GET /a\n  |> jq: `.`\n", 1)).isEqualTo(RouteDoc.NONE);
		assertThat(read("# about something else\n\nGET /a\n  |> jq: `.`\n", 3)).isEqualTo(RouteDoc.NONE);
	}

	@Test
	void anIndentedCommentBelongsToTheStepsAboveNotToTheRoute() {
		RouteDoc doc = read("""
				GET /a
				  |> jq: `.`
				  # the last step of /a
				GET /b
				  |> jq: `.`
				""", 4);
		assertThat(doc).isEqualTo(RouteDoc.NONE);
	}

	@Test
	void annotationsAreReadAndLeftOutOfTheText() {
		RouteDoc doc = read("""
				# Find orders.
				# @query status required only orders with this status
				# @query page
				# @response 200 {"type": "array", "items": {"type": "object", "description": "an order {x}"}} the orders
				# @response 404 no order matches
				# Orders are sorted by date.
				# An @ inside text is text: @everyone
				GET /orders
				  |> jq: `.`
				""", 8);
		assertThat(doc.summary()).isEqualTo("Find orders.");
		assertThat(doc.description()).isEqualTo("Orders are sorted by date.\nAn @ inside text is text: @everyone");
		assertThat(doc.queryParameters()).containsExactly(
				new RouteDoc.QueryParameter("status", true, "only orders with this status", Span.of(2, 3)),
				new RouteDoc.QueryParameter("page", false, "", Span.of(3, 3)));
		assertThat(doc.responses()).hasSize(2);
		RouteDoc.Response ok = doc.responses().get(0);
		assertThat(ok.status()).isEqualTo(200);
		assertThat(ok.schema()).contains(
				"{\"type\": \"array\", \"items\": {\"type\": \"object\", \"description\": \"an order {x}\"}}");
		assertThat(ok.schemaSpan()).isEqualTo(Span.of(4, 17));
		assertThat(ok.description()).isEqualTo("the orders");
		assertThat(doc.responses().get(1))
			.isEqualTo(new RouteDoc.Response(404, Optional.empty(), Span.NONE, "no order matches", Span.of(5, 3)));
	}

	@Test
	void malformedAnnotationsAreErrorsAtTheirPosition() {
		String text = """
				# @response 99 too small
				# @response 200 {"type": "object"
				# @query
				# @query page
				# @query page again
				# @response 201
				# @response 201
				POST /orders
				  |> jq: `.`
				""";
		List<Diagnostic> diagnostics = new ArrayList<>();
		RouteDoc doc = RouteDoc.read(new SourceFile("routes/orders.wp", text), Span.of(8, 1), diagnostics);
		assertThat(diagnostics).extracting(Diagnostic::render).containsExactly("""
				routes/orders.wp:1:13: expected a status from 100 to 599 after @response
				# @response 99 too small
				            ^""", """
				routes/orders.wp:2:17: the schema after @response 200 must be a JSON object on this line
				# @response 200 {"type": "object"
				                ^""", """
				routes/orders.wp:3:9: expected a query parameter name (letters, digits, '_', '-', '.') after @query
				# @query
				        ^""", """
				routes/orders.wp:5:3: duplicate @query page for this route
				# @query page again
				  ^""", """
				routes/orders.wp:7:3: duplicate @response 201 for this route
				# @response 201
				  ^""");
		assertThat(doc.queryParameters()).extracting(RouteDoc.QueryParameter::name).containsExactly("page");
		assertThat(doc.responses()).extracting(RouteDoc.Response::status).containsExactly(201);
	}

	private static RouteDoc read(String text, int routeLine) {
		List<Diagnostic> diagnostics = new ArrayList<>();
		RouteDoc doc = RouteDoc.read(new SourceFile("routes/app.wp", text), Span.of(routeLine, 1), diagnostics);
		assertThat(diagnostics).isEmpty();
		return doc;
	}

}
