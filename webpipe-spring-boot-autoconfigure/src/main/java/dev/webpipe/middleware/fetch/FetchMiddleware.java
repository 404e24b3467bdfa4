package dev.webpipe.middleware.fetch;

import java.util.List;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import dev.webpipe.middleware.ErrorContract;
import dev.webpipe.middleware.ArgumentTypes;
import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.http.OutboundHttp;
import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Json;

/**
 * {@code |> fetch: `https://…`}, {@code |> fetch(url, {method, headers, body, timeout})} and the
 * legacy {@code fetchUrl}/{@code fetchMethod}/{@code fetchHeaders}/{@code fetchBody}/{@code fetchTimeout}
 * keys (middleware.md, fetch). The result value {@code {response, status, headers}} is placed
 * under {@code .data} (or {@code .data.<name>}) by the runtime. Failures are typed errors:
 * {@code networkError}, {@code timeoutError}, {@code httpError}; a bad argument is a {@code fetchError}.
 * No header of the incoming request is sent unless the step passes it.
 */
public final class FetchMiddleware implements Middleware {

	static final String MISSING_URL = "Missing URL for fetch middleware";

	private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

	private final OutboundHttp http;

	public FetchMiddleware(OutboundHttp http) {
		this.http = http;
	}

	@Override
	public String name() {
		return "fetch";
	}

	@Override
	public List<ErrorContract> errors() {
		return List.of(new ErrorContract("networkError", 502),
				new ErrorContract("httpError", 502),
				new ErrorContract("timeoutError", 504));
	}

	@Override
	public Behavior behavior() {
		return Behavior.MERGE;
	}

	@Override
	public boolean placesResult() {
		return true;
	}

	@Override
	public int maxInlineArguments() {
		return 2;
	}

	@Override
	public ExecutableStep compile(StepDefinition definition) {
		String config = definition.config().trim();
		ResolvedUrl resolved = new ResolvedUrl(this.http);
		String configTemplate = Call.namesUrl(config) ? OutboundHttp.uriTemplate(config) : null;
		String location = definition.location().file() + ":" + definition.location().span().line();
		return (input) -> {
			Call call = Call.from(config, input);
			String template = (configTemplate != null && call.url().equals(config)) ? configTemplate : location;
			return execute(call, resolved, template);
		};
	}

	/**
	 * The URI of the last absolute URL a step called: a step's URL is most often the same at every request (its
	 * config), and parsing it costs more than the rest of preparing the call. URLs that start with {@code /} are
	 * resolved at each call (they depend on the port of this application's server). Thread-safe.
	 */
	static final class ResolvedUrl {

		private final OutboundHttp http;

		private volatile @Nullable Entry last;

		ResolvedUrl(OutboundHttp http) {
			this.http = http;
		}

		URI resolve(String url) {
			Entry entry = this.last;
			if (entry != null && entry.url().equals(url)) {
				return entry.uri();
			}
			URI uri = this.http.resolve(url);
			if (!url.startsWith("/")) {
				this.last = new Entry(url, uri);
			}
			return uri;
		}

		private record Entry(String url, URI uri) {
		}

	}

	/**
	 * What to send, resolved from the inline arguments or the legacy state keys.
	 *
	 * @param url the URL as the step gave it (trimmed)
	 * @param method the HTTP method
	 * @param headers string-valued headers, or {@code null}
	 * @param body the body to JSON-encode, or {@code null} for none
	 * @param timeout a timeout in seconds, or {@code null} for the default
	 */
	record Call(String url, HttpMethod method, @Nullable ObjectNode headers, @Nullable JsonNode body,
			@Nullable Long timeout) {

		static Call from(String config, StepInput input) {
			if (!input.arguments().isEmpty()) {
				JsonNode url = input.argument(0);
				if (url == null || !url.isTextual()) {
					throw new FetchArgumentException(
							"fetch argument 0 must evaluate to a string, got: " + ArgumentTypes.of(url));
				}
				JsonNode options = input.argument(1);
				if (options != null && !options.isObject()) {
					throw new FetchArgumentException(
							"fetch argument 1 must evaluate to an object, got: " + ArgumentTypes.of(options));
				}
				return of(url.textValue().trim(), options, "method", "headers", "body", "timeout");
			}
			if (namesUrl(config)) {
				// A URL written in the step: the state's legacy keys are not read, so a request body
				// merged into the state cannot redirect the call (docs/middleware/fetch.md#legacy-keys).
				return new Call(config, HttpMethod.GET, null, null, null);
			}
			JsonNode state = input.state();
			JsonNode fetchUrl = state.get("fetchUrl");
			String url = (fetchUrl != null && fetchUrl.isTextual()) ? fetchUrl.textValue().trim() : config;
			return of(url, state.isObject() ? state : null, "fetchMethod", "fetchHeaders", "fetchBody",
					"fetchTimeout");
		}

		/** Whether a step's config is a URL: one starting with {@code /} or a scheme and {@code ://}. */
		static boolean namesUrl(String config) {
			if (config.startsWith("/")) {
				return true;
			}
			int colon = config.indexOf("://");
			if (colon <= 0) {
				return false;
			}
			for (int i = 0; i < colon; i++) {
				char c = config.charAt(i);
				if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
					return false;
				}
			}
			return true;
		}

		private static Call of(String url, @Nullable JsonNode options, String methodKey, String headersKey, String bodyKey,
				String timeoutKey) {
			if (options == null) {
				return new Call(url, HttpMethod.GET, null, null, null);
			}
			JsonNode method = options.get(methodKey);
			HttpMethod httpMethod = HttpMethod.GET;
			if (method != null && method.isTextual()) {
				String name = method.textValue().trim().toUpperCase(Locale.ROOT);
				if (METHODS.contains(name)) {
					httpMethod = HttpMethod.valueOf(name);
				}
			}
			JsonNode headers = options.get(headersKey);
			JsonNode body = options.get(bodyKey);
			JsonNode timeout = options.get(timeoutKey);
			Long seconds = (timeout != null && timeout.isIntegralNumber() && timeout.canConvertToLong()
					&& timeout.longValue() >= 0) ? timeout.longValue() : null;
			return new Call(url, httpMethod, (headers instanceof ObjectNode object) ? object : null,
					(body == null || body.isNull()) ? null : body, seconds);
		}

	}

	/**
	 * @param template what the call's {@code http.client.requests} observation names as its URI
	 * (docs/operations.md#metrics-and-traces): the URL written in the step, or the step's {@code file:line}
	 */
	private Mono<StepResult> execute(Call call, ResolvedUrl resolved, String template) {
		if (call.url().isEmpty()) {
			return Mono.just(StepResult.failure(Errors.error("networkError", MISSING_URL)));
		}
		Duration timeout = (call.timeout() != null) ? Duration.ofSeconds(call.timeout())
				: this.http.defaultTimeout();
		return OutboundHttp.withTimeout(Mono.defer(() -> send(call, resolved, template)), timeout)
			.onErrorResume((ex) -> Mono.just(StepResult.failure(OutboundHttp.errorFor(ex, call.url(), timeout))));
	}

	private Mono<StepResult> send(Call call, ResolvedUrl resolved, String template) {
		URI uri = resolved.resolve(call.url());
		WebClient.RequestBodySpec request = this.http.webClient(call.url())
			.method(call.method())
			.uri(uri)
			.attribute(OutboundHttp.URI_TEMPLATE_ATTRIBUTE, template)
			.headers((headers) -> writeHeaders(call, headers));
		WebClient.RequestHeadersSpec<?> ready = (call.body() != null) ? request.bodyValue(Json.writeBytes(call.body()))
				: request;
		return ready.exchangeToMono((response) -> this.http.readBody(response)
			.map((bytes) -> toResult(response, bytes, call.url())));
	}

	private static void writeHeaders(Call call, HttpHeaders headers) {
		if (call.headers() != null) {
			for (Map.Entry<String, JsonNode> header : call.headers().properties()) {
				if (header.getValue().isTextual()) {
					headers.set(header.getKey(), header.getValue().textValue());
				}
			}
		}
		if (!headers.containsHeader(HttpHeaders.USER_AGENT)) {
			headers.set(HttpHeaders.USER_AGENT, OutboundHttp.USER_AGENT);
		}
		if (call.body() != null && !headers.containsHeader(HttpHeaders.CONTENT_TYPE)) {
			headers.setContentType(MediaType.APPLICATION_JSON);
		}
	}

	private static StepResult toResult(ClientResponse response, byte[] bytes, String url) {
		int status = response.statusCode().value();
		if (status >= 400) {
			return StepResult.failure(OutboundHttp.httpError(status, OutboundHttp.text(response, bytes), url));
		}
		ObjectNode result = Json.NODES.objectNode();
		result.set("response", parseOrText(response, bytes));
		result.put("status", status);
		ObjectNode headers = result.putObject("headers");
		response.headers().asHttpHeaders().forEach((name, values) -> {
			if (!values.isEmpty()) {
				headers.put(name.toLowerCase(Locale.ROOT), values.get(values.size() - 1));
			}
		});
		return StepResult.of(result);
	}

	/**
	 * The body parsed as JSON, else its text. A UTF-8 body (the charset of JSON) that starts with an ASCII
	 * character is parsed from its bytes, which spares decoding it to text first; when that fails, the text is
	 * parsed as for any other charset, so the outcome is the same.
	 */
	static JsonNode parseOrText(ClientResponse response, byte[] bytes) {
		Charset charset = response.headers().contentType().map(MediaType::getCharset).orElse(null);
		if ((charset == null || charset.equals(StandardCharsets.UTF_8)) && startsAsciiWithoutNul(bytes)) {
			try {
				return Json.parse(bytes);
			}
			catch (Json.InvalidJsonException ex) {
				// not JSON as bytes: as text below
			}
		}
		return parseOrText(OutboundHttp.text(response, bytes));
	}

	/** Whether the first bytes are ASCII and none is 0 (so Jackson would not take them for UTF-16 or UTF-32). */
	private static boolean startsAsciiWithoutNul(byte[] bytes) {
		if (bytes.length < 4) {
			return false;
		}
		for (int i = 0; i < 4; i++) {
			if (bytes[i] <= 0) {
				return false;
			}
		}
		return true;
	}

	private static JsonNode parseOrText(String text) {
		if (!text.isBlank()) {
			try {
				return Json.parse(text);
			}
			catch (Json.InvalidJsonException ex) {
				// not JSON: kept as text
			}
		}
		return TextNode.valueOf(text);
	}


	/** An inline argument of the wrong type; the runtime reports it as a {@code fetchError}. */
	static final class FetchArgumentException extends IllegalArgumentException {

		FetchArgumentException(String message) {
			super(message);
		}

	}

}
