package dev.webpipe.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import redis.embedded.RedisServer;

/**
 * The Redis of {@code redis-store.sh} ({@code java -jar webpipe-benchmarks.jar redis <port-file> [max-seconds]}):
 * the {@code redis-server} 6.2 that {@code embedded-redis} ships, on {@code 127.0.0.1} and a free port, which it
 * writes to {@code port-file}; without persistence. The server stops with this process (TERM), or by itself after
 * {@code max-seconds} (30 minutes by default).
 */
final class EmbeddedRedis {

	private EmbeddedRedis() {
	}

	static void main(String[] args) throws IOException, InterruptedException {
		if (args.length < 1) {
			System.err.println("usage: java -jar webpipe-benchmarks.jar redis <port-file> [max-seconds]");
			System.exit(2);
		}
		Path portFile = Path.of(args[0]);
		Duration lifetime = Duration.ofSeconds((args.length > 1) ? Long.parseLong(args[1]) : 1800);
		int port;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = probe.getLocalPort();
		}
		RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port).setting("save \"\"")
			.setting("appendonly no").build();
		server.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				server.stop();
			}
			catch (IOException ex) {
				// the process ends anyway
			}
		}));
		Files.writeString(portFile, Integer.toString(port), StandardCharsets.US_ASCII);
		Thread.sleep(lifetime.toMillis());
		server.stop();
	}

}
