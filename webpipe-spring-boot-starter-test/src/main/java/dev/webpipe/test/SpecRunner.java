package dev.webpipe.test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import reactor.util.context.Context;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Json;
import dev.webpipe.runtime.RequestContext;
import dev.webpipe.runtime.RunResult;
import dev.webpipe.runtime.RuntimeSettings;
import dev.webpipe.runtime.jq.JqRuntimeException;

/**
 * Runs one {@link Spec} (docs/testing.md#what-a-test-runs): requests go in process through the application's
 * {@link HttpHandler} (filters, routing, the WebPipe handler and the response assembly),
 * pipelines and variables through the program's executor; then every assertion is evaluated.
 * Detached {@code @async} tasks are awaited before the next test. Its requests carry the test's {@link Mocks} in
 * their Reactor context, where {@link SpecInstrumentation} finds them; the same key answers them with every error
 * detail, whatever the application's {@code webpipe.errors.include-details}.
 */
final class SpecRunner {

	private static final String FATAL = "Pipeline execution failed";

	private final CompiledProgram program;

	private final HttpHandler httpHandler;

	private final @Nullable String env;

	private final Set<String> envNames;

	private final Duration bound;

	SpecRunner(CompiledProgram program, HttpHandler httpHandler, @Nullable String env, Set<String> envNames) {
		this.program = program;
		this.httpHandler = httpHandler;
		this.env = env;
		this.envNames = Set.copyOf(envNames);
		RuntimeSettings settings = program.executor().settings();
		this.bound = settings.taskTimeout().plus(settings.detachedTimeout()).plusSeconds(10);
	}

	SpecResult run(Spec spec) {
		try {
			Map<String, JsonNode> values = new LinkedHashMap<>();
			for (Map.Entry<String, Spec.Mock> mock : spec.mocks().entrySet()) {
				values.put(mock.getKey(), evaluate("mock " + mock.getValue().label() + " returning",
						mock.getValue().returning(), spec));
			}
			Mocks mocks = new Mocks(values);
			Outcome outcome = execute(spec, mocks);
			List<Failure> failures = new ArrayList<>();
			for (Check check : spec.checks()) {
				Failure failure = check.check(outcome, mocks);
				if (failure != null) {
					failures.add(failure);
				}
			}
			return new SpecResult(spec, failures, null);
		}
		catch (TestError ex) {
			return new SpecResult(spec, List.of(), ex.getMessage());
		}
		catch (RuntimeException ex) {
			return new SpecResult(spec, List.of(), Errors.plainMessage(ex));
		}
		finally {
			this.program.executor().settings().detachedTasks().await(this.bound);
		}
	}

	private Outcome execute(Spec spec, Mocks mocks) {
		Spec.Action action = spec.action();
		if (action instanceof Spec.Action.Calling calling) {
			return call(calling, spec, mocks);
		}
		JsonNode input = input(spec, "input", Json.NODES.objectNode());
		ObjectNode request = (input instanceof ObjectNode object) ? object.deepCopy() : Json.NODES.objectNode();
		RunResult result;
		if (action instanceof Spec.Action.RunPipeline pipeline) {
			RequestContext context = RequestContext.create(request, "pipeline " + pipeline.name(), this.env,
					this.envNames);
			JsonNode mocked = mocks.pipeline(pipeline.name(), input);
			result = (mocked != null) ? new RunResult(mocked, null, null, false)
					: this.program.executor().executeNamed(pipeline.name(), input, context)
						.contextWrite(Context.of(Mocks.CONTEXT_KEY, mocks))
						.block(this.bound);
		}
		else {
			Spec.Action.RunVariable variable = (Spec.Action.RunVariable) action;
			RequestContext context = RequestContext.create(request, variable.label(), this.env, this.envNames);
			result = this.program.executor().execute(variable.pipeline(), input, context)
				.contextWrite(Context.of(Mocks.CONTEXT_KEY, mocks))
				.block(this.bound);
		}
		if (result == null) {
			throw new TestError("the run produced no result");
		}
		JsonNode state = result.state();
		int status = (result.status() != null) ? result.status() : 200;
		String contentType = (result.contentType() != null) ? Check.ContentType.normalize(result.contentType())
				: "application/json";
		return new Outcome(status, contentType, state, (name) -> stateHeader(state, name));
	}

	/** Without a response: {@code Set-Cookie} reads {@code setCookies}, others {@code setHeaders.H}, then a top-level string. */
	private static @Nullable String stateHeader(JsonNode state, String name) {
		if (name.equalsIgnoreCase("Set-Cookie")) {
			JsonNode cookies = state.get("setCookies");
			if (cookies == null || !cookies.isArray() || cookies.isEmpty()) {
				return null;
			}
			List<String> values = new ArrayList<>();
			cookies.forEach((cookie) -> values.add(JsonMatch.text(cookie)));
			return String.join("; ", values);
		}
		JsonNode headers = state.get("setHeaders");
		if (headers != null && headers.isObject()) {
			for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
				Map.Entry<String, JsonNode> header = it.next();
				if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isNull()) {
					return JsonMatch.text(header.getValue());
				}
			}
		}
		JsonNode value = state.get(name);
		return (value != null && value.isTextual()) ? value.textValue() : null;
	}

	// ---- when calling ------------------------------------------------------------------------

	private Outcome call(Spec.Action.Calling calling, Spec spec, Mocks mocks) {
		JsonNode headers = input(spec, "headers", Json.NODES.objectNode());
		JsonNode cookies = input(spec, "cookies", Json.NODES.objectNode());
		JsonNode body = input(spec, "body", Json.NODES.objectNode());
		if (!headers.isObject() || !cookies.isObject()) {
			throw new TestError("'with " + (headers.isObject() ? "cookies" : "headers") + "' must give an object, got "
					+ JsonMatch.show(headers.isObject() ? cookies : headers));
		}
		MockServerHttpRequest.BodyBuilder request = MockServerHttpRequest
			.method(HttpMethod.valueOf(calling.method()), uri(calling.target()));
		boolean contentType = false;
		for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
			Map.Entry<String, JsonNode> header = it.next();
			String name = header.getKey().toLowerCase(Locale.ROOT);
			contentType |= name.equals("content-type");
			request.header(name, JsonMatch.text(header.getValue()));
		}
		if (!cookies.isEmpty()) {
			List<String> pairs = new ArrayList<>();
			cookies.fields().forEachRemaining((cookie) -> pairs.add(cookie.getKey() + "=" + JsonMatch.text(cookie.getValue())));
			request.header(HttpHeaders.COOKIE, String.join("; ", pairs));
		}
		if (!contentType) {
			request.contentType(MediaType.APPLICATION_JSON);
		}
		String text = (body.isTextual() && contentType) ? body.textValue() : Json.write(body);
		MockServerHttpResponse response = new MockServerHttpResponse();
		this.httpHandler.handle(request.body(text), response)
			.contextWrite(Context.of(Mocks.CONTEXT_KEY, mocks))
			.block(this.bound);
		int status = (response.getStatusCode() != null) ? response.getStatusCode().value() : 200;
		MediaType type = response.getHeaders().getContentType();
		String mediaType = (type != null) ? Check.ContentType.normalize(type.toString()) : null;
		String payload = body(response);
		JsonNode output = Json.NODES.textNode(payload);
		if (mediaType != null && (mediaType.equals("application/json") || mediaType.endsWith("+json"))
				&& !payload.isEmpty()) {
			try {
				output = Json.parse(payload);
			}
			catch (RuntimeException ex) {
				// not JSON after all: the text
			}
		}
		if (status == 500 && output.isObject() && FATAL.equals(output.path("error").asText(null))) {
			throw new TestError(output.path("details").asText(FATAL));
		}
		HttpHeaders responseHeaders = response.getHeaders();
		return new Outcome(status, mediaType, output, (name) -> {
			List<String> values = responseHeaders.get(name);
			return (values == null || values.isEmpty()) ? null : String.join("; ", values);
		});
	}

	private String body(MockServerHttpResponse response) {
		try {
			String text = response.getBodyAsString().block(this.bound);
			return (text != null) ? text : "";
		}
		catch (IllegalStateException ex) {
			return "";
		}
	}

	/** The target line as a URI: the fragment dropped, characters a URI cannot hold percent-encoded. */
	static URI uri(String target) {
		int hash = target.indexOf('#');
		String text = (hash >= 0) ? target.substring(0, hash) : target;
		StringBuilder out = new StringBuilder();
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			boolean allowed = c > 0x20 && c < 0x7f && "\"<>\\^`{|}".indexOf(c) < 0;
			if (allowed) {
				out.append((char) c);
			}
			else {
				out.append('%').append(String.format("%02X", c));
			}
		}
		return URI.create(out.toString());
	}

	// ---- inputs --------------------------------------------------------------------------------

	private static JsonNode input(Spec spec, String kind, JsonNode fallback) {
		TestJq jq = spec.inputs().get(kind);
		return (jq != null) ? evaluate("with " + kind, jq, spec) : fallback;
	}

	private static JsonNode evaluate(String what, TestJq jq, Spec spec) {
		try {
			JsonNode value = jq.apply(spec.variables());
			return (value != null) ? value : NullNode.getInstance();
		}
		catch (JqRuntimeException ex) {
			throw new TestError(what + " `" + jq.source() + "` failed: " + ex.getMessage());
		}
	}

	/** A test that cannot run to its assertions. */
	static final class TestError extends RuntimeException {

		TestError(String message) {
			super(message);
		}

	}

}
