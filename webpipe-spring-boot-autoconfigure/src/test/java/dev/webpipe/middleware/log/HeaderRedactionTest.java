package dev.webpipe.middleware.log;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderRedactionTest {

	private static final String STATE = """
			{"headers":{"authorization":"Bearer t","x-api-key":"k","accept":"*/*"},
			 "cookies":{"sid":"s1","theme":"dark"},
			 "data":{"call":{"headers":{"Set-Cookie":"u=1","Proxy-Authorization":"p"}}},
			 "setHeaders":{"X-Api-Key":"k2","X-Plain":"v"},
			 "setCookies":["sid=abc; Path=/; HttpOnly","plain",3],
			 "body":{"note":"authorization"}}""";

	@Test
	void theDefaultsRedactCredentialsCookiesAndSetCookieValuesAtAnyDepth() {
		JsonNode state = Json.parse(STATE);
		String before = Json.write(state);
		JsonNode redacted = HeaderRedaction.defaults().apply(state);
		assertThat(Json.write(redacted)).isEqualTo(Json.write(Json.parse("""
				{"headers":{"authorization":"***","x-api-key":"***","accept":"*/*"},
				 "cookies":{"sid":"***","theme":"***"},
				 "data":{"call":{"headers":{"Set-Cookie":"***","Proxy-Authorization":"***"}}},
				 "setHeaders":{"X-Api-Key":"***","X-Plain":"v"},
				 "setCookies":["sid=***; Path=/; HttpOnly","***",3],
				 "body":{"note":"authorization"}}""")));
		assertThat(Json.write(state)).as("the argument is not changed").isEqualTo(before);
	}

	@Test
	void aStateWithoutListedHeadersIsReturnedAsItIs() {
		JsonNode state = Json.parse("{\"headers\":{\"accept\":\"*/*\"},\"a\":[1,{\"b\":2}]}");
		assertThat(HeaderRedaction.defaults().apply(state)).isSameAs(state);
	}

	@Test
	void theListIsConfigurableAndCaseInsensitive() {
		HeaderRedaction redaction = new HeaderRedaction(List.of(" X-Session-Token "));
		JsonNode redacted = redaction.apply(Json.parse(
				"{\"headers\":{\"x-session-token\":\"t\",\"authorization\":\"a\"},\"cookies\":{\"sid\":\"s\"}}"));
		assertThat(Json.write(redacted))
			.isEqualTo("{\"headers\":{\"x-session-token\":\"***\",\"authorization\":\"a\"},\"cookies\":{\"sid\":\"s\"}}");
		assertThat(new HeaderRedaction(List.of()).apply(Json.parse("{\"headers\":{\"authorization\":\"a\"}}")).toString())
			.contains("\"a\"");
	}

	@Test
	void aHeadersObjectItself() {
		assertThat(Json.write(HeaderRedaction.defaults()
			.applyToHeaders(Json.parse("{\"cookie\":\"sid=1\",\"host\":\"h\"}"))))
			.isEqualTo("{\"cookie\":\"***\",\"host\":\"h\"}");
	}

}
