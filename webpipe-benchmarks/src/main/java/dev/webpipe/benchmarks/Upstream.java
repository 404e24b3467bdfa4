package dev.webpipe.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The stub upstream of the HTTP benchmark, run as a process of its own
 * ({@code java -jar webpipe-benchmarks.jar upstream <port-file> [delay-ms] [max-seconds]}): a Reactor Netty
 * server on {@code 127.0.0.1} and a free port, which it writes to {@code port-file}.
 * <ul>
 * <li>{@code GET /delay/{n}} answers {@code {"n":n,"source":"upstream"}} after the delay (20 ms by default);</li>
 * <li>{@code GET /item} answers a small JSON object at once.</li>
 * </ul>
 * A separate process rather than a server inside the benchmark application: in one JVM, Reactor Netty's server
 * and client share the default event loops, so the stub's work would run on the threads that serve the measured
 * requests and call the upstream, and its garbage would be collected by the same collector. The process stops by
 * itself after {@code max-seconds} (30 minutes by default).
 */
final class Upstream {

	private Upstream() {
	}

	static void main(String[] args) throws IOException {
		if (args.length < 1) {
			System.err.println("usage: java -jar webpipe-benchmarks.jar upstream <port-file> [delay-ms] [max-seconds]");
			System.exit(2);
		}
		Path portFile = Path.of(args[0]);
		Duration delay = Duration.ofMillis((args.length > 1) ? Long.parseLong(args[1]) : 20);
		Duration lifetime = Duration.ofSeconds((args.length > 2) ? Long.parseLong(args[2]) : 1800);
		String item = "{\"sku\":\"A-1\",\"name\":\"widget\",\"price\":12,\"stock\":7}";
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.get("/delay/{n}", (request, response) -> {
					String body = "{\"n\":" + Integer.parseInt(request.param("n")) + ",\"source\":\"upstream\"}";
					return response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
						.sendString(Mono.delay(delay).thenReturn(body));
				})
				.get("/item", (request, response) -> response
					.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
					.sendString(Mono.just(item))))
			.bindNow();
		Path written = Files.writeString(portFile.resolveSibling(portFile.getFileName() + ".tmp"),
				Integer.toString(server.port()), StandardCharsets.UTF_8);
		Files.move(written, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		System.out.println("upstream on 127.0.0.1:" + server.port() + ", delay " + delay.toMillis() + " ms");
		try {
			server.onDispose().block(lifetime);
		}
		catch (IllegalStateException timeout) {
			System.out.println("upstream: lifetime of " + lifetime.toSeconds() + " s reached, stopping");
		}
		server.disposeNow();
	}

}
