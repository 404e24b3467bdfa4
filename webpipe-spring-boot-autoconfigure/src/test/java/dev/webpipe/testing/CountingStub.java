package dev.webpipe.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import dev.webpipe.middleware.Json;

/**
 * An upstream on 127.0.0.1 (random port) that counts every request it receives, so a test can
 * prove that nothing reached it:
 * <ul>
 * <li>{@code /delay/{ms}...}: answers {@code {"late": true}} after a delay;</li>
 * <li>{@code /redirect?to=<url>}: a 302 to the (percent-encoded) URL;</li>
 * <li>any other path and method: {@code {"method", "uri", "body"}}.</li>
 * </ul>
 */
public final class CountingStub implements AutoCloseable {

	private final AtomicInteger hits = new AtomicInteger();

	private final Map<String, AtomicInteger> hitsByPath = new ConcurrentHashMap<>();

	private final DisposableServer server;

	public CountingStub() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.handle((request, response) -> {
				this.hits.incrementAndGet();
				String uri = request.uri();
				String path = (uri.indexOf('?') >= 0) ? uri.substring(0, uri.indexOf('?')) : uri;
				this.hitsByPath.computeIfAbsent(path, (key) -> new AtomicInteger()).incrementAndGet();
				if (path.startsWith("/delay/")) {
					String millis = path.substring("/delay/".length()).split("/")[0];
					return response.header("Content-Type", "application/json")
						.sendString(Mono.delay(Duration.ofMillis(Long.parseLong(millis))).thenReturn("{\"late\":true}"))
						.then();
				}
				if (path.equals("/redirect")) {
					String to = URLDecoder.decode(uri.substring(uri.indexOf("to=") + 3), StandardCharsets.UTF_8);
					return response.status(302).header("Location", to).send();
				}
				return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap((body) -> {
					ObjectNode echo = Json.NODES.objectNode();
					echo.put("method", request.method().name());
					echo.put("uri", uri);
					echo.put("body", body);
					return response.header("Content-Type", "application/json")
						.sendString(Mono.just(Json.write(echo)))
						.then();
				});
			})
			.bindNow();
	}

	public int port() {
		return this.server.port();
	}

	/** {@code http://127.0.0.1:<port>}. */
	public String base() {
		return "http://127.0.0.1:" + port();
	}

	/** Requests received so far. */
	public int hits() {
		return this.hits.get();
	}

	/** Requests received so far for a path (without the query). */
	public int hits(String path) {
		AtomicInteger count = this.hitsByPath.get(path);
		return (count != null) ? count.get() : 0;
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

}
