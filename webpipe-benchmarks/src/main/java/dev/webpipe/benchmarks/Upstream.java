package dev.webpipe.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import java.util.concurrent.ThreadLocalRandom;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The stub upstream of the HTTP benchmark, run as a process of its own
 * ({@code java -jar webpipe-benchmarks.jar upstream <port-file> [delay-ms] [max-seconds]}): a Reactor Netty
 * server on {@code 127.0.0.1} and a free port, which it writes to {@code port-file}.
 * <ul>
 * <li>{@code GET /delay/{n}} answers {@code {"n":n,"source":"upstream"}} after the delay (20 ms by default);</li>
 * <li>{@code GET /item} answers a small JSON object at once;</li>
 * <li>{@code GET /after/{ms}} answers {@code {"after":ms}} after {@code ms} milliseconds (at most 60,000), whatever
 * the delay of {@code /delay/{n}};</li>
 * <li>{@code GET /flaky/{n}} (the load test with faults, {@code faults.sh}) waits 0-300 ms, then answers
 * {@code {"n":n,"source":"flaky"}}, or 500 (10 % of the calls), or resets the connection (5 %);</li>
 * <li>{@code GET /slow} answers after 9 s, {@code GET /admin} answers {@code {"admin":true}} (targets of the
 * hostile inputs of {@code faults.sh}).</li>
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
					.sendString(Mono.just(item)))
				.get("/after/{ms}", (request, response) -> {
					long ms = Math.min(60_000, Math.max(0, Long.parseLong(request.param("ms"))));
					return response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
						.sendString(Mono.delay(Duration.ofMillis(ms)).thenReturn("{\"after\":" + ms + "}"));
				})
				.get("/flaky/{n}", (request, response) -> flaky(Integer.parseInt(request.param("n")), response))
				.get("/slow", (request, response) -> response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
					.sendString(Mono.delay(Duration.ofSeconds(9)).thenReturn("{\"slow\":true}")))
				.get("/admin", (request, response) -> response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
					.sendString(Mono.just("{\"admin\":true}"))))
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

	/** 0-300 ms, then 85 % a JSON answer, 10 % a 500, 5 % a reset connection (RST, no response). */
	private static Publisher<Void> flaky(int n, HttpServerResponse response) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		Duration delay = Duration.ofMillis(random.nextInt(301));
		int roll = random.nextInt(100);
		if (roll < 5) {
			return Mono.delay(delay).doOnNext((tick) -> response.withConnection((connection) -> {
				connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
				connection.channel().close();
			})).then(Mono.never());
		}
		if (roll < 15) {
			return response.status(HttpResponseStatus.INTERNAL_SERVER_ERROR)
				.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
				.sendString(Mono.delay(delay).thenReturn("{\"error\":\"upstream failed\"}"));
		}
		return response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
			.sendString(Mono.delay(delay).thenReturn("{\"n\":" + n + ",\"source\":\"flaky\"}"));
	}

}
