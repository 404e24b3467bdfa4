package dev.webpipe.web;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.ClassUtils;

/**
 * Faster reads of a request that Reactor Netty serves, straight from its Netty request: used only for Spring's
 * own Reactor Netty request, neither decorated nor mutated by a filter (whose headers or body could differ from
 * Netty's). Reactor Netty is optional: {@link #of} answers {@code null} when it is absent.
 */
final class ReactorNettyRequests {

	private static final boolean PRESENT = ClassUtils.isPresent("reactor.netty.http.server.HttpServerRequest",
			ReactorNettyRequests.class.getClassLoader());

	/** Spring's request class for Reactor Netty (package-private in Spring). */
	private static final String REACTOR_REQUEST = "org.springframework.http.server.reactive.ReactorServerHttpRequest";

	private ReactorNettyRequests() {
	}

	/** The request's Netty view, or {@code null} when it is not Spring's unchanged Reactor Netty request. */
	static @Nullable Native of(ServerHttpRequest request) {
		if (!PRESENT || !request.getClass().getName().equals(REACTOR_REQUEST)) {
			return null;
		}
		return Netty.of(request);
	}

	/** What is read from Netty. */
	interface Native {

		/**
		 * Whether the request has no body: no {@code Content-Length} and no {@code Transfer-Encoding}. HTTP/1.1
		 * allows no body then (RFC 9112, 6.3); for HTTP/2 and HTTP/3 streams with a body and no length, Netty adds
		 * {@code Transfer-Encoding: chunked}.
		 */
		boolean hasNoBody();

		/**
		 * Adds the headers to {@code target} as the state's {@code headers}: lower-case names in the order of their
		 * first occurrence, repeated ones joined with {@code ", "} ({@code "; "} for {@code cookie}).
		 */
		void readHeaders(ObjectNode target);

	}

	/** Loaded only when Reactor Netty is present. */
	private static final class Netty implements Native {

		private final io.netty.handler.codec.http.HttpHeaders headers;

		private Netty(io.netty.handler.codec.http.HttpHeaders headers) {
			this.headers = headers;
		}

		static @Nullable Native of(ServerHttpRequest request) {
			Object nativeRequest = ((AbstractServerHttpRequest) request).getNativeRequest();
			return (nativeRequest instanceof HttpServerRequest server) ? new Netty(server.requestHeaders()) : null;
		}

		@Override
		public boolean hasNoBody() {
			return !this.headers.contains(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH)
					&& !this.headers.contains(io.netty.handler.codec.http.HttpHeaderNames.TRANSFER_ENCODING);
		}

		@Override
		public void readHeaders(ObjectNode target) {
			Iterator<Map.Entry<String, String>> entries = this.headers.iteratorAsString();
			while (entries.hasNext()) {
				Map.Entry<String, String> entry = entries.next();
				String name = entry.getKey().toLowerCase(Locale.ROOT);
				JsonNode existing = target.get(name);
				if (existing == null) {
					target.put(name, entry.getValue());
				}
				else {
					target.put(name, existing.textValue() + (name.equals("cookie") ? "; " : ", ") + entry.getValue());
				}
			}
		}

	}

}
