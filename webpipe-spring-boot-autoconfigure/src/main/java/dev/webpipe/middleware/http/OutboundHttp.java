package dev.webpipe.middleware.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.NameResolverProvider;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.Timeouts;

/**
 * Outbound HTTP shared by {@code fetch} and remote {@code graphql} steps: one pooled
 * {@link WebClient}, the default timeout, the response size limit, the typed errors of
 * middleware.md (fetch) and the address of this application for relative URLs.
 * <p>
 * The client is built once from the application's {@link WebClient.Builder} (so its
 * customizers, filters, metrics and tracing apply) with a Reactor Netty connector that
 * follows up to {@value #MAX_REDIRECTS} redirects and decodes compressed responses. Thread-safe.
 * <p>
 * Its connections come from a pool of its own, {@code webpipe.fetch.max-connections} per upstream
 * host and port (docs/middleware/fetch.md#connections); waiting for one counts in the call's
 * timeout. The {@link OutboundHostRules} are applied to the URL of each call ({@link #resolve})
 * and, through a filtering address resolver, to every connection, redirect hops included. URLs
 * starting with {@code /} call this application through a second client whose only exemption is
 * this application's own port. {@link #close()} releases the pool.
 */
public final class OutboundHttp implements AutoCloseable {

	/** The default of {@code webpipe.fetch.max-connections}. */
	static final int DEFAULT_MAX_CONNECTIONS = 500;

	/** Sent unless the step gives its own {@code User-Agent}. */
	public static final String USER_AGENT = "WebPipe/1.0";

	/** How many redirects one call follows; the response after that is an ordinary result. */
	static final int MAX_REDIRECTS = 10;

	/**
	 * The request attribute from which a {@link WebClient}'s {@code http.client.requests} observation takes its
	 * {@code uri} key (the attribute {@code WebClient.uri(String, Object...)} sets). Calls set it to a value without
	 * ids in it (docs/operations.md#metrics-and-traces).
	 */
	public static final String URI_TEMPLATE_ATTRIBUTE = WebClient.class.getName() + ".uriTemplate";

	/** {@code finishConnect(..) failed with error(-111): } before Netty's native socket error messages. */
	private static final Pattern NATIVE_CALL = Pattern.compile("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ");

	private final WebClient webClient;

	private final WebClient selfClient;

	private final Duration defaultTimeout;

	private final int maxResponseSize;

	private final OutboundHostRules rules;

	private final ConnectionProvider connections;

	private final @Nullable AddressResolverGroup<?> resolvers;

	private final AtomicInteger localPort;

	private OutboundHttp(WebClient webClient, WebClient selfClient, Duration defaultTimeout, int maxResponseSize,
			OutboundHostRules rules, ConnectionProvider connections, @Nullable AddressResolverGroup<?> resolvers,
			AtomicInteger localPort) {
		this.webClient = webClient;
		this.selfClient = selfClient;
		this.defaultTimeout = defaultTimeout;
		this.maxResponseSize = maxResponseSize;
		this.rules = rules;
		this.connections = connections;
		this.resolvers = resolvers;
		this.localPort = localPort;
	}

	/**
	 * A client without host rules and with the default pool size.
	 * @param builder the application's builder (cloned, not changed)
	 * @param defaultTimeout {@code webpipe.fetch.default-timeout}
	 * @param maxResponseSize {@code webpipe.fetch.max-response-size}
	 */
	public static OutboundHttp create(WebClient.Builder builder, Duration defaultTimeout, DataSize maxResponseSize) {
		return create(builder, defaultTimeout, maxResponseSize, OutboundHostRules.none(), DEFAULT_MAX_CONNECTIONS);
	}

	/**
	 * @param builder the application's builder (cloned, not changed)
	 * @param defaultTimeout {@code webpipe.fetch.default-timeout}
	 * @param maxResponseSize {@code webpipe.fetch.max-response-size}
	 * @param rules {@code webpipe.fetch.allowed-hosts}, {@code denied-hosts} and {@code deny-private-addresses}
	 * @param maxConnections {@code webpipe.fetch.max-connections}
	 */
	public static OutboundHttp create(WebClient.Builder builder, Duration defaultTimeout, DataSize maxResponseSize,
			OutboundHostRules rules, int maxConnections) {
		if (maxConnections < 1) {
			throw new IllegalArgumentException("webpipe.fetch.max-connections must be at least 1, got " + maxConnections);
		}
		// Unbounded waiting: the call's own timeout ends a wait for a connection (a timeoutError).
		ConnectionProvider connections = ConnectionProvider.builder("webpipe-fetch")
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(Duration.ofHours(1))
			.build();
		HttpClient base = HttpClient.create(connections)
			.compress(true)
			.followRedirect((request, response) -> isRedirect(response.status())
					&& request.redirectedFrom().length < MAX_REDIRECTS);
		AtomicInteger localPort = new AtomicInteger(-1);
		HttpClient outside = base;
		HttpClient self = base;
		AddressResolverGroup<?> resolvers = null;
		if (rules.isActive()) {
			resolvers = NameResolverProvider.builder().build().newNameResolverGroup(HttpResources.get(),
					LoopResources.DEFAULT_NATIVE);
			outside = base.resolver(new FilteringAddressResolverGroup(resolvers, rules, (address) -> false));
			self = base.resolver(new FilteringAddressResolverGroup(resolvers, rules,
					(address) -> isLocal(address, localPort.get())));
		}
		WebClient webClient = builder.clone().clientConnector(new ReactorClientHttpConnector(outside)).build();
		WebClient selfClient = builder.clone().clientConnector(new ReactorClientHttpConnector(self)).build();
		long bytes = Math.min(maxResponseSize.toBytes(), Integer.MAX_VALUE - 8);
		return new OutboundHttp(webClient, selfClient, defaultTimeout, (int) Math.max(bytes, 0), rules, connections,
				resolvers, localPort);
	}

	/**
	 * A URL written in a step or a property as the {@code uri} of its calls' observations: without its query and
	 * fragment, which may carry keys.
	 */
	public static String uriTemplate(String url) {
		int end = url.length();
		int query = url.indexOf('?');
		if (query >= 0) {
			end = query;
		}
		int fragment = url.indexOf('#');
		if (fragment >= 0 && fragment < end) {
			end = fragment;
		}
		return url.substring(0, end);
	}

	/** This application's own server: the loopback address at the port it bound. */
	private static boolean isLocal(java.net.InetSocketAddress address, int port) {
		if (port <= 0 || address.getPort() != port) {
			return false;
		}
		InetAddress ip = address.getAddress();
		return (ip != null) ? ip.isLoopbackAddress() : "127.0.0.1".equals(address.getHostString());
	}

	/** Releases the connections of the pool and the resolvers. */
	@Override
	public void close() {
		this.connections.dispose();
		if (this.resolvers != null) {
			this.resolvers.close();
		}
	}

	private static boolean isRedirect(HttpResponseStatus status) {
		int code = status.code();
		return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
	}

	/** The client for absolute URLs (the host rules apply in full). */
	public WebClient webClient() {
		return this.webClient;
	}

	/**
	 * The client for a URL: the one of {@link #webClient()}, or for a URL starting with {@code /}
	 * the one that may call this application's own port.
	 */
	public WebClient webClient(String url) {
		return url.startsWith("/") ? this.selfClient : this.webClient;
	}

	/** The outbound host rules. */
	public OutboundHostRules rules() {
		return this.rules;
	}

	public Duration defaultTimeout() {
		return this.defaultTimeout;
	}

	/**
	 * The call, failing with a {@link TimeoutException} unless it emits within {@code timeout}; the time is kept by
	 * {@link Timeouts}' timer wheel, which fires up to one tick (10 ms) late.
	 */
	public static <T> Mono<T> withTimeout(Mono<T> call, Duration timeout) {
		return Timeouts.within(call, timeout, "webpipe.http");
	}

	/** The largest response body, in bytes, that a call reads. */
	public int maxResponseSize() {
		return this.maxResponseSize;
	}

	/** Records the port this application's server bound, for URLs starting with {@code /}. */
	public void setLocalPort(int port) {
		this.localPort.set(port);
	}

	/**
	 * Turns a step's URL into the URI to call: a URL starting with {@code /} calls this
	 * application ({@code http://127.0.0.1:<local port>}); any other must be an absolute
	 * {@code http(s)} URL. Characters that a URI cannot hold (spaces, non-ASCII, …) are
	 * percent-encoded; existing {@code %xx} escapes are kept.
	 * @throws InvalidUrlException with a message naming the URL
	 */
	public URI resolve(String url) {
		String absolute = url;
		if (url.startsWith("/")) {
			int port = this.localPort.get();
			if (port <= 0) {
				throw new InvalidUrlException("Cannot call '" + url
						+ "': the port of this application's server is not known (no server has started)");
			}
			absolute = "http://127.0.0.1:" + port + url;
		}
		URI uri;
		try {
			uri = new URI(escapeIllegalCharacters(absolute));
		}
		catch (URISyntaxException ex) {
			throw new InvalidUrlException("Invalid URL '" + url + "': " + ex.getReason());
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
			throw new InvalidUrlException("Invalid URL '" + url
					+ "': expected an absolute http(s) URL or a path starting with '/'");
		}
		if (hasDotSegment(uri.getRawPath())) {
			throw new HostNotAllowedException(null);
		}
		if (!url.startsWith("/") && this.rules.isActive()) {
			String host = uri.getHost();
			int port = (uri.getPort() >= 0) ? uri.getPort() : (scheme.equals("https") ? 443 : 80);
			if (this.rules.refusesName(host, port)) {
				throw new HostNotAllowedException(host);
			}
			byte[] literal = NetUtil.createByteArrayFromIpAddressString(OutboundHostRules.normalize(host));
			if (literal != null) {
				try {
					if (this.rules.refusesAddress(host, port, InetAddress.getByAddress(literal))) {
						throw new HostNotAllowedException(host);
					}
				}
				catch (java.net.UnknownHostException ex) {
					throw new HostNotAllowedException(host);
				}
			}
		}
		return uri;
	}

	/**
	 * Whether a path has a {@code .} or {@code ..} segment once percent-decoded (up to three
	 * times, for double-encoded input), with {@code /} or {@code \} as separators: a path
	 * parameter such as {@code ..%2F..%2Fadmin} concatenated into a URL must not climb out of the
	 * path the step wrote (docs/middleware/fetch.md#outbound-host-rules).
	 */
	static boolean hasDotSegment(String rawPath) {
		if (rawPath == null || rawPath.isEmpty()) {
			return false;
		}
		String path = rawPath;
		for (int round = 0; round < 4; round++) {
			for (String segment : path.split("[/\\\\]", -1)) {
				int parameters = segment.indexOf(';');
				String name = (parameters >= 0) ? segment.substring(0, parameters) : segment;
				if (name.equals(".") || name.equals("..")) {
					return true;
				}
			}
			if (path.indexOf('%') < 0) {
				return false;
			}
			String decoded;
			try {
				decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				decoded = path.replace("%2e", ".").replace("%2E", ".").replace("%2f", "/").replace("%2F", "/")
					.replace("%5c", "\\").replace("%5C", "\\");
			}
			if (decoded.equals(path)) {
				return false;
			}
			path = decoded;
		}
		return true;
	}

	static String escapeIllegalCharacters(String url) {
		StringBuilder out = null;
		for (int i = 0; i < url.length(); i++) {
			char c = url.charAt(i);
			if (isUriCharacter(c)) {
				if (out != null) {
					out.append(c);
				}
				continue;
			}
			if (out == null) {
				out = new StringBuilder(url.length() + 16).append(url, 0, i);
			}
			int codePoint = url.codePointAt(i);
			if (Character.charCount(codePoint) == 2) {
				i++;
			}
			for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
				out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
					.append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
			}
		}
		return (out != null) ? out.toString() : url;
	}

	private static boolean isUriCharacter(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
				|| "-._~:/?#[]@!$&'()*+,;=%".indexOf(c) >= 0;
	}

	/**
	 * Reads a whole response body, failing with {@link BodyReadException} when it is larger
	 * than the limit (checked while reading, so an oversized body is never buffered) or when
	 * reading fails. An empty body gives an empty array.
	 */
	public Mono<byte[]> readBody(ClientResponse response) {
		return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), this.maxResponseSize)
			.map(OutboundHttp::toBytes)
			.defaultIfEmpty(new byte[0])
			.onErrorMap((ex) -> !(ex instanceof BodyReadException), this::bodyReadFailure);
	}

	private static byte[] toBytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	private BodyReadException bodyReadFailure(Throwable ex) {
		if (ex instanceof DataBufferLimitException) {
			return new BodyReadException("the body is larger than webpipe.fetch.max-response-size ("
					+ this.maxResponseSize + " bytes)", ex);
		}
		return new BodyReadException(Errors.plainMessage(ex), ex);
	}

	/** The body as text, in the charset of its {@code Content-Type} (UTF-8 by default). */
	public static String text(ClientResponse response, byte[] body) {
		Charset charset = response.headers().contentType().map(MediaType::getCharset).orElse(null);
		return new String(body, (charset != null) ? charset : StandardCharsets.UTF_8);
	}

	/** {@code Request timed out after 10s}. */
	static String timeoutMessage(Duration timeout) {
		long millis = timeout.toMillis();
		String amount = (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
		return "Request timed out after " + amount;
	}

	/**
	 * The typed error for a failed call: {@code timeoutError} for a timeout,
	 * {@code httpError} for {@link HttpStatusException}, else {@code networkError}.
	 * @param ex the failure (possibly wrapped)
	 * @param url the URL as the step gave it
	 * @param timeout the timeout that applied
	 */
	public static ObjectNode errorFor(Throwable ex, String url, Duration timeout) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof TimeoutException) {
				return withUrl(Errors.error("timeoutError", timeoutMessage(timeout)), url);
			}
			if (t instanceof HttpStatusException status) {
				return httpError(status.status(), status.body(), url);
			}
			if (t instanceof BodyReadException read) {
				return withUrl(Errors.error("networkError", "Failed to read response body: " + read.getMessage()),
						url);
			}
			if (t instanceof HostNotAllowedException refused) {
				return withUrl(Errors.error("networkError", refused.getMessage()), url);
			}
			if (t instanceof InvalidUrlException invalid) {
				return withUrl(Errors.error("networkError", invalid.getMessage()), url);
			}
			if (t == t.getCause()) {
				break;
			}
		}
		return withUrl(Errors.error("networkError", networkMessage(ex)), url);
	}

	/** The innermost message, without the native-call prefix of Netty's socket errors. */
	private static String networkMessage(Throwable ex) {
		return NATIVE_CALL.matcher(Errors.plainMessage(ex)).replaceFirst("");
	}

	/** {@code {type: "httpError", status, message: <body text>, url}}. */
	public static ObjectNode httpError(int status, String body, String url) {
		ObjectNode error = Json.NODES.objectNode();
		error.put("type", "httpError");
		error.put("status", status);
		error.put("message", body);
		error.put("url", url);
		return error;
	}

	private static ObjectNode withUrl(ObjectNode error, String url) {
		error.put("url", url);
		return error;
	}

	/** A URL that cannot be called; the message names it. */
	public static final class InvalidUrlException extends RuntimeException {

		public InvalidUrlException(String message) {
			super(message);
		}

	}

	/**
	 * A URL or redirect hop that the outbound host rules refuse, or whose path climbs with dot
	 * segments; no connection was made.
	 */
	public static final class HostNotAllowedException extends RuntimeException {

		/** @param host the refused host, or {@code null} for a path with dot segments */
		public HostNotAllowedException(@Nullable String host) {
			super((host != null) ? "Host not allowed: " + host : "Path traversal in URL", null, false, false);
		}

	}

	/** A response body that could not be read, or was too large. */
	public static final class BodyReadException extends RuntimeException {

		public BodyReadException(String message, Throwable cause) {
			super(message, cause);
		}

	}

	/** A response status of 400 or above, with the body text. */
	public static final class HttpStatusException extends RuntimeException {

		private final int status;

		private final String body;

		public HttpStatusException(int status, String body) {
			super("HTTP " + status);
			this.status = status;
			this.body = body;
		}

		public int status() {
			return this.status;
		}

		public String body() {
			return this.body;
		}

	}

}
