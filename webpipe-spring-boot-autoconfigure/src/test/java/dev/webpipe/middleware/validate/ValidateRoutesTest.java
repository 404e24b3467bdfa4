package dev.webpipe.middleware.validate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.language.Span;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.Json;
import dev.webpipe.language.SourceLocation;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** validate steps served over HTTP: every rule kind, its message, the 400 of an unhandled failure. */
class ValidateRoutesTest {

	private static final String ROUTES = """
			POST /signup
			  |> validate: `{
			    name: string(2..10)
			    email: email, age: number
			    admin: bool, newsletter: boolean
			  }`
			  |> jq: `{ ok: true, name: .body.name }`

			POST /lengths
			  |> validate: `code: string(4), nick: string(..3), bio: string(2..), any: string`
			  |> jq: `{ ok: true }`

			POST /handled
			  |> jq: `{ kept: 1 }`
			  |> validate: `name: string`
			  |> result
			    ok(201):
			      |> jq: `{ created: .kept }`
			    validationError(422):
			      |> jq: `{ problem: .errors[0].field, kept: .kept }`
			""";

	private final WebTestClient client = Programs.client(Programs.compile("routes/forms.wp", ROUTES));

	private static final String VALID = "{\"name\":\"Kim\",\"email\":\"kim@example.com\",\"age\":41,\"admin\":false,"
			+ "\"newsletter\":true}";

	@Test
	void aValidBodyPassesAndLeavesTheStateUnchanged() {
		post("/signup", VALID).expectStatus().isOk().expectBody().json("{\"ok\":true,\"name\":\"Kim\"}", true);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{}                                   | name  | required | Field 'name' is required and must be a non-empty string
			{"name":""}                          | name  | required | Field 'name' is required and must be a non-empty string
			{"name":7}                           | name  | required | Field 'name' is required and must be a non-empty string
			{"name":"K"}                         | name  | minLength | Field 'name' must be at least 2 characters
			{"name":"Kimberly-Ann"}              | name  | maxLength | Field 'name' must be at most 10 characters
			{"name":"Kim"}                       | email | required | Field 'email' is required and must be a valid email
			{"name":"Kim","email":"kim"}         | email | email    | Field 'email' must be a valid email address
			{"name":"Kim","email":"@example.com"} | email | email   | Field 'email' must be a valid email address
			{"name":"Kim","email":"kim@example"} | email | email    | Field 'email' must be a valid email address
			{"name":"Kim","email":"k.m@"}        | email | email    | Field 'email' must be a valid email address
			{"name":"Kim","email":"k@x.io","age":"41"} | age | required | Field 'age' is required and must be a number
			{"name":"Kim","email":"k@x.io","age":4.5,"admin":"no"} | admin | required | Field 'admin' is required and must be a boolean
			{"name":"Kim","email":"k@x.io","age":4,"admin":true} | newsletter | required | Field 'newsletter' is required and must be a boolean
			[1, 2]                               | name  | required | Field 'name' is required and must be a non-empty string
			""")
	void theFirstFailingRuleIsAnUnhandledValidationErrorWith400(String body, String field, String rule, String message) {
		JsonNode answer = Json.parse(post("/signup", body).expectStatus().isBadRequest()
			.expectBody(String.class).returnResult().getResponseBody());
		JsonNode error = answer.at("/errors/0");
		assertThat(answer.get("errors")).hasSize(1);
		assertThat(error.get("type").textValue()).isEqualTo("validationError");
		assertThat(error.get("field").textValue()).isEqualTo(field);
		assertThat(error.get("context").textValue()).isEqualTo(field);
		assertThat(error.get("rule").textValue()).isEqualTo(rule);
		assertThat(error.get("message").textValue()).isEqualTo(message);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"code":"ab𝄞d","nick":"𝄞𝄞𝄞","bio":"ok","any":"x"} | 200 |
			{"code":"abc","nick":"a","bio":"ok","any":"x"}  | 400 | Field 'code' must be at least 4 characters
			{"code":"abcde","nick":"a","bio":"ok","any":"x"} | 400 | Field 'code' must be at most 4 characters
			{"code":"abcd","nick":"abcd","bio":"ok","any":"x"} | 400 | Field 'nick' must be at most 3 characters
			{"code":"abcd","nick":"","bio":"ok","any":"x"} | 400 | Field 'nick' is required and must be a non-empty string
			{"code":"abcd","nick":"a","bio":"é","any":"x"} | 400 | Field 'bio' must be at least 2 characters
			""")
	void lengthsCountCodePoints(String body, int status, String message) {
		var response = post("/lengths", body).expectStatus().isEqualTo(status).expectBody(String.class).returnResult();
		if (message != null) {
			assertThat(Json.parse(response.getResponseBody()).at("/errors/0/message").textValue()).isEqualTo(message);
		}
	}

	@Test
	void formBodiesAreCheckedAsStrings() {
		this.client.post().uri("/lengths").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("code=abcd&nick=ab&bio=hello&any=%E2%9C%93").exchange()
			.expectStatus().isOk();
	}

	@Test
	void aResultBranchHandlesTheErrorAndTheStateIsKept() {
		post("/handled", "{\"name\":\"x\"}").expectStatus().isCreated().expectBody().json("{\"created\":1}", true);
		post("/handled", "{}").expectStatus().isEqualTo(422)
			.expectBody().json("{\"problem\":\"name\",\"kept\":1}", true);
	}

	@Test
	void theStepDescribesTheBodyItEnforcesAsAJsonSchema() throws InvalidStepException {
		ValidateStep step = new ValidateMiddleware().compile(new StepDefinition("validate",
				"name: string(2..10), nick: string(..3), code: string(4), email: email, age: number, admin: bool",
				Optional.empty(), List.of(), new SourceLocation("routes/x.wp", Span.of(1, 1)), Map.of()));
		assertThat(Json.write(step.requestBodySchema())).isEqualTo("{\"type\":\"object\",\"properties\":{"
				+ "\"name\":{\"type\":\"string\",\"minLength\":2,\"maxLength\":10},"
				+ "\"nick\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":3},"
				+ "\"code\":{\"type\":\"string\",\"minLength\":4,\"maxLength\":4},"
				+ "\"email\":{\"type\":\"string\",\"format\":\"email\",\"minLength\":1},"
				+ "\"age\":{\"type\":\"number\"},\"admin\":{\"type\":\"boolean\"}},"
				+ "\"required\":[\"name\",\"nick\",\"code\",\"email\",\"age\",\"admin\"]}");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			name string                | validate: cannot parse rule 'name string'                 | 0
			'a: string, b: text'       | validate: unknown rule kind 'text'                        | 14
			'a: string(3..1)'          | validate: cannot parse rule 'a: string(3..1)'             | 0
			'a: string()'              | validate: cannot parse rule 'a: string()'                 | 0
			'a: number(2)'             | validate: cannot parse rule 'a: number(2)'                | 0
			'a: string(2..3'           | validate: cannot parse rule 'a: string(2..3'              | 0
			'x: email\n  9: string'    | validate: cannot parse rule '9: string'                   | 11
			""")
	void malformedRulesAreRejectedAtTheirOffset(String config, String message, int offset) {
		assertThatExceptionOfType(InvalidStepException.class)
			.isThrownBy(() -> new ValidateMiddleware().compile(new StepDefinition("validate",
					config.replace("\\n", "\n"), Optional.empty(), List.of(),
					new SourceLocation("routes/x.wp", Span.of(1, 1)), Map.of())))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).isEqualTo(message);
				assertThat(ex.offset()).isEqualTo(offset);
			});
	}

	private WebTestClient.ResponseSpec post(String uri, String json) {
		return this.client.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
	}

}
