package dev.webpipe.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.lang.Contract;

import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Json;
import dev.webpipe.runtime.NumberCoercion;

/**
 * Builds the initial request state (docs/runtime.md#the-request-state) from a WebFlux {@link ServerRequest}: the keys
 * {@code method path ip query params headers cookies body content_type originalRequest}, in that order.
 * <p>
 * The body is aggregated as raw bytes (never through the application's codecs, which are Jackson 3 on Boot 4) and
 * parsed with the starter's own mapper. A body larger than {@code maxInMemorySize} bytes fails with a 413
 * {@link BadRequestException}; a JSON body that does not parse fails with a 400 one. A request that declares no body
 * ({@code Content-Length: 0}, or, served by Reactor Netty, neither {@code Content-Length} nor
 * {@code Transfer-Encoding}) is not read at all, and its state is ready at once. Thread-safe.
 */
public final class RequestStateReader {

	/** Spring's default for {@code spring.http.codecs.max-in-memory-size}: 256 KB. */
	public static final int DEFAULT_MAX_IN_MEMORY_SIZE = 256 * 1024;

	/** The default of {@code webpipe.request.max-nesting-depth}. */
	public static final int DEFAULT_MAX_NESTING_DEPTH = 500;

	/**
	 * The deepest a request body may be: the writer refuses JSON nested deeper than 1,000 levels, and the state and a
	 * route's own objects around the body need some of them (docs/runtime.md#the-request-state).
	 */
	public static final int MAX_NESTING_DEPTH = 900;

	private static final byte[] NO_BYTES = new byte[0];

	private final int maxInMemorySize;

	private final ObjectReader bodyReader;

	/**
	 * A reader with the default nesting depth ({@value #DEFAULT_MAX_NESTING_DEPTH}).
	 * @param maxInMemorySize the largest accepted body in bytes; {@code -1} for no limit (Spring's convention)
	 */
	public RequestStateReader(int maxInMemorySize) {
		this(maxInMemorySize, DEFAULT_MAX_NESTING_DEPTH);
	}

	/**
	 * @param maxInMemorySize the largest accepted body in bytes; {@code -1} for no limit (Spring's convention)
	 * @param maxNestingDepth the deepest nesting of a JSON body, 1 to {@value #MAX_NESTING_DEPTH}; deeper bodies
	 * answer 400
	 */
	public RequestStateReader(int maxInMemorySize, int maxNestingDepth) {
		if (maxInMemorySize < -1) {
			throw new IllegalArgumentException("maxInMemorySize must be -1 (no limit) or at least 0");
		}
		if (maxNestingDepth < 1 || maxNestingDepth > MAX_NESTING_DEPTH) {
			throw new IllegalArgumentException("webpipe.request.max-nesting-depth must be between 1 and "
					+ MAX_NESTING_DEPTH + ", got " + maxNestingDepth);
		}
		this.maxInMemorySize = maxInMemorySize;
		this.bodyReader = Json.withMaxNestingDepth(maxNestingDepth);
	}

	/** The largest accepted body in bytes, {@code -1} for no limit. */
	public int maxInMemorySize() {
		return this.maxInMemorySize;
	}

	/**
	 * Reads the state with the route variables Spring matched ({@link ServerRequest#pathVariables()}), in the order
	 * they appear in the matched pattern.
	 */
	public Mono<ObjectNode> read(ServerRequest request) {
		Map<String, String> variables = request.pathVariables();
		Object pattern = request.attribute(RouterFunctions.MATCHING_PATTERN_ATTRIBUTE).orElse(null);
		if (variables.size() > 1 && pattern instanceof PathPattern pathPattern) {
			String text = pathPattern.getPatternString();
			Map<String, String> ordered = new LinkedHashMap<>();
			variables.entrySet()
				.stream()
				.sorted(Comparator.comparingInt(entry -> position(text, entry.getKey())))
				.forEach(entry -> ordered.put(entry.getKey(), entry.getValue()));
			variables = ordered;
		}
		return read(request, variables);
	}

	private static int position(String pattern, String name) {
		for (String opening : new String[] { "{" + name + "}", "{" + name + ":", "{*" + name + "}" }) {
			int index = pattern.indexOf(opening);
			if (index >= 0) {
				return index;
			}
		}
		return Integer.MAX_VALUE;
	}

	/**
	 * Reads the state.
	 * @param pathVariables the route parameters, already percent-decoded (as Spring's {@code PathPattern} matching
	 * gives them); they are number-coerced here
	 * @return the state, or an error signal with a {@link BadRequestException} for a malformed or oversized body
	 */
	public Mono<ObjectNode> read(ServerRequest request, Map<String, String> pathVariables) {
		String method = request.method().name().toUpperCase(Locale.ROOT);
		String rawQuery = request.uri().getRawQuery();
		ObjectNode query = query(rawQuery);
		ObjectNode params = params(pathVariables);
		HttpHeaders httpHeaders = request.headers().asHttpHeaders();
		String contentType = httpHeaders.getFirst(HttpHeaders.CONTENT_TYPE);
		ReactorNettyRequests.Native netty = ReactorNettyRequests.of(request.exchange().getRequest());

		ObjectNode state = Json.NODES.objectNode();
		state.put("method", method);
		state.put("path", request.requestPath().value());
		String ip = ip(request);
		if (ip != null) {
			state.put("ip", ip);
		}
		state.set("query", query);
		state.set("params", params);
		if (netty != null) {
			netty.readHeaders(state.putObject("headers"));
		}
		else {
			state.set("headers", headers(httpHeaders));
		}
		state.set("cookies", cookies(httpHeaders.get(HttpHeaders.COOKIE)));

		long declaredLength = httpHeaders.getContentLength();
		if (this.maxInMemorySize >= 0 && declaredLength > this.maxInMemorySize) {
			return Mono.error(tooLarge());
		}
		if (declaredLength == 0 || (netty != null && netty.hasNoBody())) {
			// Nothing to read: no reactive read of an empty body.
			return Mono.just(complete(state, NO_BYTES, contentType, method, params, query));
		}
		return body(request).map(bytes -> complete(state, bytes, contentType, method, params, query));
	}

	private ObjectNode complete(ObjectNode state, byte[] bytes, @Nullable String contentType, String method,
			ObjectNode params, ObjectNode query) {
		state.set("body", parseBody(this.bodyReader, bytes, contentType));
		state.put("content_type", (contentType != null) ? contentType : "application/json");
		ObjectNode original = state.putObject("originalRequest");
		original.put("method", method);
		original.set("params", params.deepCopy());
		original.set("query", query.deepCopy());
		return state;
	}

	private Mono<byte[]> body(ServerRequest request) {
		return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), this.maxInMemorySize)
			.map(RequestStateReader::bytes)
			.defaultIfEmpty(NO_BYTES)
			.onErrorMap(DataBufferLimitException.class, ex -> tooLarge());
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	private BadRequestException tooLarge() {
		return new BadRequestException(413, bodyError("size",
				"Request body is too large: the limit is " + this.maxInMemorySize + " bytes"));
	}

	static ObjectNode bodyError(String rule, String message) {
		ObjectNode error = Json.NODES.objectNode();
		error.put("type", "validationError");
		error.put("field", "body");
		error.put("context", "body");
		error.put("rule", rule);
		error.put("message", message);
		return Errors.envelope(error);
	}

	static JsonNode parseBody(ObjectReader reader, byte[] bytes, @Nullable String contentType) {
		if (bytes.length == 0) {
			return Json.NODES.objectNode();
		}
		String mimeType = mimeType(contentType);
		if (mimeType == null) {
			// No Content-Type: JSON when it parses (the state's content_type says application/json), else text.
			try {
				return Json.parse(reader, bytes);
			}
			catch (Json.InvalidJsonException ex) {
				return TextNode.valueOf(new String(bytes, StandardCharsets.UTF_8));
			}
		}
		if (mimeType.equals("application/json") || mimeType.endsWith("+json")) {
			try {
				return Json.parse(reader, bytes);
			}
			catch (Json.InvalidJsonException ex) {
				throw new BadRequestException(400,
						bodyError("json", "Request body is not valid JSON: " + ex.getMessage()));
			}
		}
		Charset charset = charset(contentType);
		if (mimeType.equals("application/x-www-form-urlencoded")) {
			ObjectNode form = Json.NODES.objectNode();
			PercentDecoding.forEachPair(new String(bytes, charset), charset, form::put);
			return form;
		}
		return TextNode.valueOf(new String(bytes, charset));
	}

	/** The lower-cased {@code type/subtype} of a Content-Type header, or {@code null} when absent. */
	@Contract("null -> null; !null -> !null")
	static @Nullable String mimeType(@Nullable String contentType) {
		if (contentType == null) {
			return null;
		}
		int semicolon = contentType.indexOf(';');
		String type = (semicolon >= 0) ? contentType.substring(0, semicolon) : contentType;
		return type.trim().toLowerCase(Locale.ROOT);
	}

	/** The {@code charset} parameter of a Content-Type header; UTF-8 when absent or unknown. */
	static Charset charset(@Nullable String contentType) {
		if (contentType != null) {
			for (String parameter : contentType.split(";")) {
				int equals = parameter.indexOf('=');
				if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
					String name = parameter.substring(equals + 1).trim();
					if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
						name = name.substring(1, name.length() - 1);
					}
					try {
						return Charset.forName(name);
					}
					catch (RuntimeException unknown) {
						return StandardCharsets.UTF_8;
					}
				}
			}
		}
		return StandardCharsets.UTF_8;
	}

	private static ObjectNode query(String rawQuery) {
		ObjectNode query = Json.NODES.objectNode();
		PercentDecoding.forEachPair(rawQuery, StandardCharsets.UTF_8,
				(name, value) -> query.set(name, NumberCoercion.coerce(value)));
		return query;
	}

	private static ObjectNode params(Map<String, String> pathVariables) {
		ObjectNode params = Json.NODES.objectNode();
		if (pathVariables != null) {
			pathVariables.forEach((name, value) -> params.set(name, NumberCoercion.coerce(value)));
		}
		return params;
	}

	private static @Nullable String ip(ServerRequest request) {
		InetSocketAddress address = request.remoteAddress().orElse(null);
		if (address == null) {
			return null;
		}
		InetAddress inet = address.getAddress();
		if (inet != null) {
			return inet.getHostAddress();
		}
		String host = address.getHostString();
		return (host == null || host.isEmpty()) ? null : host;
	}

	private static ObjectNode headers(HttpHeaders httpHeaders) {
		Map<String, List<String>> merged = new LinkedHashMap<>();
		for (String name : httpHeaders.headerNames()) {
			String lower = name.toLowerCase(Locale.ROOT);
			if (!merged.containsKey(lower)) {
				List<String> values = httpHeaders.get(name);
				merged.put(lower, (values != null) ? values : new ArrayList<>());
			}
		}
		ObjectNode headers = Json.NODES.objectNode();
		merged.forEach((name, values) -> headers.put(name, String.join(name.equals("cookie") ? "; " : ", ", values)));
		return headers;
	}

	private static ObjectNode cookies(@Nullable List<String> cookieHeaders) {
		ObjectNode cookies = Json.NODES.objectNode();
		if (cookieHeaders == null) {
			return cookies;
		}
		for (String header : cookieHeaders) {
			for (String piece : header.split(";")) {
				String pair = piece.trim();
				int equals = pair.indexOf('=');
				if (equals > 0) {
					cookies.put(pair.substring(0, equals), pair.substring(equals + 1));
				}
			}
		}
		return cookies;
	}

}
