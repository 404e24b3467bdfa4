package dev.webpipe.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Json;
import dev.webpipe.runtime.ErrorStatuses;

/**
 * Turns a route's final state into the HTTP response (docs/runtime.md#the-response), including the error response for an
 * unhandled typed error and the fatal-error response (docs/runtime.md#unhandled-errors).
 * <p>
 * Bodies are written as raw bytes, never through the application's codecs (Jackson 3 on Boot 4). Stateless and
 * thread-safe.
 */
final class ResponseWriter {

	/** The default content type of a route. */
	public static final String APPLICATION_JSON = "application/json";

	/** Headers that frame the response: never taken from the state. */
	private static final Set<String> FRAMING_HEADERS = Set.of("content-length", "transfer-encoding", "connection",
			"keep-alive", "upgrade", "host", "content-encoding");

	/** The generic message of an error whose details are not shown, by type. */
	private static final String INTERNAL_ERROR = "Internal error";

	/** Error types whose messages are written for clients: shown with all their fields. */
	private static final Set<String> CLIENT_FACING = Set.of("validationError", "authError", "rateLimitExceeded");

	private final ErrorStatuses errorStatuses;

	/** A writer whose error responses take their status from the language's table alone. */
	public ResponseWriter() {
		this(ErrorStatuses.language());
	}

	/** A writer whose error responses take their status from {@code errorStatuses}. */
	public ResponseWriter(ErrorStatuses errorStatuses) {
		this.errorStatuses = errorStatuses;
	}

	/**
	 * Writes the response for a route's final state, showing every detail of an unhandled error and no request id.
	 * @param finalState the state {@code S} ({@code null} is JSON {@code null})
	 * @param status the route's status {@code ST}, or {@code null} for none
	 * @param contentType the route's content type {@code CT}; {@code null} means {@code application/json}
	 * @param unhandledError whether the per-request unhandled flag (docs/runtime.md#unhandled-errors) is set
	 * @param head whether to send status and headers only (a {@code HEAD} request)
	 */
	public Mono<ServerResponse> write(@Nullable JsonNode finalState, @Nullable Integer status,
			@Nullable String contentType, boolean unhandledError, boolean head) {
		return write(finalState, status, contentType, unhandledError, head, null, ErrorDetails.ALWAYS);
	}

	/**
	 * Writes the response for a route's final state.
	 * @param finalState the state {@code S} ({@code null} is JSON {@code null})
	 * @param status the route's status {@code ST}, or {@code null} for none
	 * @param contentType the route's content type {@code CT}; {@code null} means {@code application/json}
	 * @param unhandledError whether the per-request unhandled flag (docs/runtime.md#what-an-unhandled-error-shows-the-client) is set
	 * @param head whether to send status and headers only (a {@code HEAD} request)
	 * @param requestId the request's id for the body of an error response, or {@code null} for none
	 * @param details what an error response shows (docs/runtime.md#what-an-unhandled-error-shows-the-client)
	 */
	public Mono<ServerResponse> write(@Nullable JsonNode finalState, @Nullable Integer status,
			@Nullable String contentType, boolean unhandledError, boolean head, @Nullable String requestId,
			ErrorDetails details) {
		JsonNode state = (finalState != null) ? finalState : NullNode.getInstance();
		Outgoing out = new Outgoing();
		if (unhandledError && Errors.hasTypedError(state)) {
			return errorResponse((ObjectNode) state, out, head, requestId, details);
		}
		String type = (contentType != null) ? contentType : APPLICATION_JSON;
		int code = (status != null) ? status : 200;
		JsonNode payload = state;
		if (state instanceof ObjectNode object && hasResponseKeys(object)) {
			ObjectNode rest = Json.NODES.objectNode();
			String contentTypeKey = null;
			String headerContentType = null;
			for (Map.Entry<String, JsonNode> field : object.properties()) {
				String key = field.getKey();
				JsonNode value = field.getValue();
				if (key.equals("setCookies") && value.isArray()) {
					out.addCookies(value);
				}
				else if (key.equals("setHeaders") && value.isObject()) {
					headerContentType = out.setHeaders(value);
				}
				else if (key.equals("contentType") && value.isTextual()) {
					contentTypeKey = value.textValue();
				}
				else if (key.equals("status") && value.isIntegralNumber() && value.canConvertToInt()
						&& value.intValue() >= 100 && value.intValue() <= 599) {
					code = value.intValue();
				}
				else {
					rest.set(key, value);
				}
			}
			if (contentTypeKey != null) {
				type = contentTypeKey;
			}
			else if (headerContentType != null && !object.has("contentType")) {
				type = headerContentType;
			}
			payload = (contentTypeKey != null && object.has("body")) ? object.get("body") : rest;
		}
		byte[] bytes;
		if (payload.isTextual() && !Json.isJsonType(type)) {
			bytes = payload.textValue().getBytes(StandardCharsets.UTF_8);
		}
		else {
			bytes = Json.writeBytes(payload);
		}
		return out.send(code, withCharset(type), bytes, head);
	}

	/** Whether a final state has a key that shapes the response; a state without any is the body as it is. */
	private static boolean hasResponseKeys(ObjectNode state) {
		return state.has("setCookies") || state.has("setHeaders") || state.has("contentType") || state.has("status");
	}

	/** The 400/413 response for a request whose state could not be built. */
	public Mono<ServerResponse> badRequest(BadRequestException error, boolean head) {
		return new Outgoing().send(error.status(), APPLICATION_JSON, Json.writeBytes(error.body()), head);
	}

	/**
	 * The fatal-error response (docs/runtime.md#unhandled-errors) with its details and no request id:
	 * {@code 500 {"error":"Pipeline execution failed","details":details}}.
	 */
	public Mono<ServerResponse> fatal(String details, boolean head) {
		return fatal(null, details, ErrorDetails.ALWAYS, head);
	}

	/**
	 * The fatal-error response (docs/runtime.md#what-an-unhandled-error-shows-the-client): {@code 500 {"error":"Pipeline execution failed","requestId":id}}, with
	 * {@code "details":details} only when {@code shown} is {@link ErrorDetails#ALWAYS}.
	 * @param requestId the request's id, or {@code null} for none
	 * @param details plain text with the location, e.g. {@code "recursion too deep (routes/app.wp:12)"}; never a
	 * stack trace or Java class name
	 * @param shown whether the details are shown
	 */
	public Mono<ServerResponse> fatal(@Nullable String requestId, String details, ErrorDetails shown, boolean head) {
		ObjectNode body = Json.NODES.objectNode();
		body.put("error", "Pipeline execution failed");
		if (requestId != null) {
			body.put("requestId", requestId);
		}
		if (shown == ErrorDetails.ALWAYS) {
			body.put("details", details);
		}
		return new Outgoing().send(500, APPLICATION_JSON, Json.writeBytes(body), head);
	}


	private Mono<ServerResponse> errorResponse(ObjectNode state, Outgoing out, boolean head, @Nullable String requestId,
			ErrorDetails details) {
		JsonNode cookies = state.get("setCookies");
		if (cookies != null && cookies.isArray()) {
			out.addCookies(cookies);
		}
		JsonNode headers = state.get("setHeaders");
		if (headers != null && headers.isObject()) {
			out.setHeaders(headers); // a Content-Type there is ignored: the body is JSON
		}
		// a typed error is there: the caller checked (Errors.hasTypedError)
		String type = Objects.requireNonNull(Errors.firstType(state));
		JsonNode errors = state.get("errors");
		if ("rateLimitExceeded".equals(type)) {
			String retryAfter = scalar(Json.normalize(errors.get(0).path("retryAfter")));
			if (retryAfter != null) {
				out.setHeader(HttpHeaders.RETRY_AFTER, retryAfter);
			}
		}
		ObjectNode body = Json.NODES.objectNode();
		body.set("errors", (details == ErrorDetails.ALWAYS) ? errors : withoutDetails(errors));
		if (requestId != null) {
			body.put("requestId", requestId);
		}
		return out.send(this.errorStatuses.status(type), APPLICATION_JSON, Json.writeBytes(body), head);
	}

	/**
	 * The error list as a client sees it under {@link ErrorDetails#NEVER}: client-facing errors as they are, every
	 * other one reduced to its type, a generic message and its task (docs/runtime.md#what-an-unhandled-error-shows-the-client).
	 */
	static ArrayNode withoutDetails(JsonNode errors) {
		ArrayNode shown = Json.NODES.arrayNode(errors.size());
		for (JsonNode error : errors) {
			JsonNode type = error.path("type");
			if (type.isTextual() && CLIENT_FACING.contains(type.textValue())) {
				shown.add(error);
				continue;
			}
			ObjectNode reduced = shown.addObject();
			if (type.isTextual()) {
				reduced.set("type", type);
			}
			reduced.put("message", genericMessage(type.isTextual() ? type.textValue() : ""));
			JsonNode task = error.path("task");
			if (task.isTextual()) {
				reduced.set("task", task);
			}
		}
		return shown;
	}

	private static String genericMessage(String type) {
		return switch (type) {
			case "networkError", "httpError" -> "Upstream service failed";
			case "timeoutError" -> "Upstream service timed out";
			default -> INTERNAL_ERROR;
		};
	}

	/** A {@code text/*} type without a charset gets {@code ; charset=utf-8}. */
	static String withCharset(String contentType) {
		if (APPLICATION_JSON.equals(contentType)) {
			return contentType;
		}
		String mime = RequestStateReader.mimeType(contentType);
		if (mime.startsWith("text/") && !contentType.toLowerCase(Locale.ROOT).matches(".*;\\s*charset\\s*=.*")) {
			return contentType + "; charset=utf-8";
		}
		return contentType;
	}

	/** The text of a string, number or boolean; {@code null} for anything else. */
	private static @Nullable String scalar(JsonNode value) {
		if (value.isTextual()) {
			return value.textValue();
		}
		if (value.isNumber() || value.isBoolean()) {
			return value.asText();
		}
		return null;
	}

	/** Headers and cookies collected for one response; nothing is allocated for a response without any. */
	private static final class Outgoing {

		private @Nullable HttpHeaders headers;

		private @Nullable List<String> cookies;

		void addCookies(JsonNode setCookies) {
			for (JsonNode cookie : setCookies) {
				if (cookie.isTextual()) {
					String value = HeaderValues.sanitize(cookie.textValue());
					if (value != null) {
						if (this.cookies == null) {
							this.cookies = new ArrayList<>();
						}
						this.cookies.add(value);
					}
				}
			}
		}

		/** Applies {@code setHeaders}; returns its Content-Type entry, if any, without applying it. */
		@Nullable String setHeaders(JsonNode setHeaders) {
			String contentType = null;
			for (Map.Entry<String, JsonNode> entry : setHeaders.properties()) {
				String value = scalar(entry.getValue());
				if (value == null) {
					continue;
				}
				if (entry.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
					contentType = HeaderValues.sanitize(value);
				}
				else {
					setHeader(entry.getKey(), value);
				}
			}
			return contentType;
		}

		void setHeader(String name, String value) {
			String sanitized = HeaderValues.sanitize(value);
			if (sanitized != null && HeaderValues.isToken(name)
					&& !FRAMING_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
				if (this.headers == null) {
					this.headers = new HttpHeaders();
				}
				this.headers.set(name, sanitized);
			}
		}

		Mono<ServerResponse> send(int status, String contentType, byte[] bytes, boolean head) {
			boolean bodiless = status < 200 || status == 204 || status == 304;
			ServerResponse.BodyBuilder builder = ServerResponse.status(status).headers(target -> {
				if (this.headers != null) {
					target.addAll(this.headers);
				}
				if (this.cookies != null) {
					for (String cookie : this.cookies) {
						target.add(HttpHeaders.SET_COOKIE, cookie);
					}
				}
				if (!bodiless) {
					String type = HeaderValues.sanitize(contentType);
					target.set(HttpHeaders.CONTENT_TYPE, (type != null) ? type : APPLICATION_JSON);
					target.setContentLength(bytes.length);
				}
			});
			if (head || bodiless) {
				return builder.build();
			}
			return builder.body(bytesInserter(bytes));
		}

	}

	private static BodyInserter<byte[], ReactiveHttpOutputMessage> bytesInserter(byte[] bytes) {
		return (message, context) -> message.writeWith(Mono.fromSupplier(() -> message.bufferFactory().wrap(bytes)));
	}

}
