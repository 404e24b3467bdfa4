package dev.webpipe.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context of the fetch and graphql application tests. The server listens on a
 * port chosen up front, so that {@code webpipe.graphql.endpoint} can point at this application's
 * own {@code /graphql} (the endpoint is read when the {@code .wp} files are compiled, before the
 * server starts).
 */
@SpringBootTest(classes = HttpTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "webpipe.routes-location=classpath:/http-app/routes/",
				"spring.graphql.schema.locations=classpath:/http-app/graphql/", "webpipe.fetch.default-timeout=2s",
				"webpipe.errors.include-details=always" })
@AutoConfigureWebTestClient(timeout = "30s")
abstract class HttpApplicationTests {

	static final int PORT = freePort();

	@DynamicPropertySource
	static void serverPort(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
		registry.add("webpipe.graphql.endpoint", () -> "http://127.0.0.1:" + PORT + "/graphql");
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
