package dev.webpipe.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.Consumer;

import redis.embedded.RedisServer;

/**
 * The one real Redis of a test run: the {@code redis-server} 6.2 that {@code embedded-redis} ships, on a free port of
 * 127.0.0.1, started on first use and shared by every test of the JVM (no Docker daemon answers on the build
 * machines, so no container). {@link #stop()} and {@link #start()} play an outage: the server comes back on the
 * same port, empty.
 */
public final class TestRedis {

	private static final Object lock = new Object();

	private static volatile RedisServer server;

	private static volatile int port;

	private TestRedis() {
	}

	/** The port Redis listens on, starting it on the first call. */
	public static int port() {
		ensureStarted();
		return port;
	}

	/** {@code spring.data.redis.host} and {@code port} for the application's connection factory. */
	public static void register(java.util.function.BiConsumer<String, Object> properties) {
		properties.accept("spring.data.redis.host", "127.0.0.1");
		properties.accept("spring.data.redis.port", port());
	}

	/** Stops the server (its connections close; new ones are refused) until {@link #start()}. */
	public static void stop() {
		synchronized (lock) {
			ensureStarted();
			try {
				server.stop();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/** Starts the server again on the same port (after {@link #stop()}); it holds no keys. */
	public static void start() {
		synchronized (lock) {
			ensureStarted();
			if (!server.isActive()) {
				try {
					server.start();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
		}
	}

	/** Whether a TCP connection to the server's port succeeds now. */
	public static boolean answers() {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void ensureStarted() {
		if (server != null) {
			return;
		}
		synchronized (lock) {
			if (server != null) {
				return;
			}
			try {
				int free;
				try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
					free = probe.getLocalPort();
				}
				Consumer<String> quiet = (line) -> {
				};
				RedisServer started = RedisServer.newRedisServer()
					.bind("127.0.0.1")
					.port(free)
					.setting("save \"\"")
					.setting("appendonly no")
					.soutListener(quiet)
					.serrListener(quiet)
					.build();
				started.start();
				port = free;
				server = started;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot start the embedded Redis", ex);
			}
		}
	}

	/** How long a test waits, at most, for an application to find Redis again after {@link #start()}. */
	public static final Duration RECOVERY = Duration.ofSeconds(15);

}
