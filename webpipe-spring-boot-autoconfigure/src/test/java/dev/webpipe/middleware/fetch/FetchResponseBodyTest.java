package dev.webpipe.middleware.fetch;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import dev.webpipe.middleware.http.OutboundHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The response value of a body (parsed from its bytes when it can be) and the URL a step resolves once. */
class FetchResponseBodyTest {

	private static JsonNode value(String contentType, byte[] body) {
		ClientResponse.Builder response = ClientResponse.create(HttpStatus.OK);
		if (contentType != null) {
			response.header("Content-Type", contentType);
		}
		return FetchMiddleware.parseOrText(response.build(), body);
	}

	private static JsonNode value(String contentType, String body) {
		return value(contentType, body.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void jsonIsParsedWhateverTheWayItTakes() {
		assertThat(value("application/json", "{\"a\":1,\"price\":12.50}").toString()).isEqualTo("{\"a\":1,\"price\":12.50}");
		assertThat(value(null, "[true, \"é\"]").toString()).isEqualTo("[true,\"é\"]");
		assertThat(value("application/json; charset=utf-8", "7").toString()).isEqualTo("7");
		assertThat(value("application/json", "\"é\"").textValue()).isEqualTo("é");
		assertThat(value("application/json; charset=ISO-8859-1", "{\"c\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1))
			.get("c").textValue()).isEqualTo("café");
	}

	@Test
	void whatIsNotJsonIsText() {
		assertThat(value("text/plain", "plain words").textValue()).isEqualTo("plain words");
		assertThat(value("application/json", "{\"a\": tru}").textValue()).isEqualTo("{\"a\": tru}");
		assertThat(value("application/json", "     ").textValue()).isEqualTo("     ");
		assertThat(value("application/json", "").textValue()).isEmpty();
	}

	@Test
	void malformedUtf8IsDecodedAsTextFirstAsBefore() {
		byte[] body = { '{', '"', 'a', '"', ':', '"', 'x', (byte) 0xff, '"', '}' };
		assertThat(value("application/json", body).get("a").textValue()).isEqualTo("x\ufffd");
	}

	@Test
	void utf16IsNotTakenForJsonBytes() {
		byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_16BE);
		assertThat(value(null, body).isTextual()).isTrue();
	}

	@Test
	void aStepResolvesAnAbsoluteUrlOnceAndARelativeOneAtEachCall() {
		OutboundHttp http = OutboundHttp.create(WebClient.builder(), Duration.ofSeconds(1), DataSize.ofKilobytes(1));
		FetchMiddleware.ResolvedUrl resolved = new FetchMiddleware.ResolvedUrl(http);
		URI first = resolved.resolve("http://127.0.0.1:9/a b");
		assertThat(first).hasToString("http://127.0.0.1:9/a%20b");
		assertThat(resolved.resolve("http://127.0.0.1:9/a b")).isSameAs(first);
		assertThat(resolved.resolve("http://127.0.0.1:9/c")).hasToString("http://127.0.0.1:9/c");
		assertThatExceptionOfType(OutboundHttp.InvalidUrlException.class).isThrownBy(() -> resolved.resolve("/x"));
		http.setLocalPort(8123);
		assertThat(resolved.resolve("/x")).hasToString("http://127.0.0.1:8123/x");
		http.setLocalPort(8124);
		assertThat(resolved.resolve("/x")).hasToString("http://127.0.0.1:8124/x");
	}

}
