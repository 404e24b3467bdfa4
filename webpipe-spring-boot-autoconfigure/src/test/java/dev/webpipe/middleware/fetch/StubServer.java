package dev.webpipe.middleware.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import dev.webpipe.middleware.Json;

/**
 * An upstream for fetch tests: a Reactor Netty server on 127.0.0.1 with a random port.
 * <ul>
 * <li>{@code /json}, {@code /text}, {@code /empty}: fixed bodies;</li>
 * <li>{@code /echo}: any method; answers the method, the path, the lower-cased headers and the body text;</li>
 * <li>{@code /delay/{ms}}: answers after a delay;</li>
 * <li>{@code /status/{code}}: that status with the body {@code failed with <code>};</li>
 * <li>{@code /reset}: closes the connection without an answer;</li>
 * <li>{@code /big/{n}}: a body of n bytes; {@code /endless}: a body that never ends;</li>
 * <li>{@code /slow-body}: headers at once, then one chunk every 300 ms for 6 s;</li>
 * <li>{@code /redirect/{n}}: n redirects, then {@code {"redirected": true}};</li>
 * <li>{@code /gzip}: a gzip-encoded JSON body.</li>
 * </ul>
 */
final class StubServer implements AutoCloseable {

	private final DisposableServer server;

	StubServer() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.get("/json", (request, response) -> response.header("Content-Type", "application/json")
					.sendString(Mono.just("{\"a\":1,\"price\":12.50,\"list\":[true,null]}")))
				.get("/text", (request, response) -> response.header("Content-Type", "text/plain")
					.header("X-Multi", "one").addHeader("X-Multi", "two")
					.sendString(Mono.just("plain words")))
				.get("/empty", (request, response) -> response.status(204).send())
				.route((request) -> request.uri().startsWith("/echo"), (request, response) -> request.receive()
					.aggregate()
					.asString(StandardCharsets.UTF_8)
					.defaultIfEmpty("")
					.flatMap((body) -> {
						ObjectNode echo = Json.NODES.objectNode();
						echo.put("method", request.method().name());
						echo.put("uri", request.uri());
						ObjectNode headers = echo.putObject("headers");
						request.requestHeaders().forEach((h) -> headers.put(h.getKey().toLowerCase(), h.getValue()));
						echo.put("body", body);
						return response.header("Content-Type", "application/json")
							.sendString(Mono.just(Json.write(echo)))
							.then();
					}))
				.get("/delay/{ms}", (request, response) -> response.sendString(Mono
					.delay(Duration.ofMillis(Long.parseLong(request.param("ms"))))
					.thenReturn("{\"late\":true}")))
				.get("/status/{code}", (request, response) -> response
					.status(Integer.parseInt(request.param("code")))
					.sendString(Mono.just("failed with " + request.param("code"))))
				.get("/reset", (request, response) -> response.withConnection((connection) -> {
					connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
					connection.channel().close();
				}).then(Mono.never()))
				.get("/big/{n}", (request, response) -> response
					.sendString(Mono.just("x".repeat(Integer.parseInt(request.param("n"))))))
				.get("/endless", (request, response) -> response.header("Content-Type", "text/plain")
					.send(Flux.interval(Duration.ofMillis(1))
						.map((i) -> Unpooled.wrappedBuffer(new byte[64 * 1024]))))
				.get("/slow-body", (request, response) -> response.header("Content-Type", "text/plain")
					.sendString(Flux.interval(Duration.ZERO, Duration.ofMillis(300)).take(20).map((i) -> "chunk "),
							StandardCharsets.UTF_8))
				.get("/redirect/{n}", (request, response) -> {
					int n = Integer.parseInt(request.param("n"));
					if (n == 0) {
						return response.header("Content-Type", "application/json")
							.sendString(Mono.just("{\"redirected\":true}"));
					}
					return response.status(302).header("Location", "/redirect/" + (n - 1)).send();
				})
				.get("/gzip", (request, response) -> response.header("Content-Type", "application/json")
					.header("Content-Encoding", "gzip")
					.header("X-Accept-Encoding", String.valueOf(request.requestHeaders().get("Accept-Encoding")))
					.sendByteArray(Mono.just(gzip("{\"zipped\":true}")))))
			.bindNow();
	}

	/** {@code http://127.0.0.1:<port>}. */
	String base() {
		return "http://127.0.0.1:" + this.server.port();
	}

	int port() {
		return this.server.port();
	}

	/** A port on 127.0.0.1 where nothing listens. */
	static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] gzip(String text) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
			out.write(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(2));
	}

}
