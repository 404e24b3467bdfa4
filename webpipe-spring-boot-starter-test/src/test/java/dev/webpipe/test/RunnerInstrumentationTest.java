package dev.webpipe.test;

import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.web.reactive.function.client.WebClient;

import dev.webpipe.compile.ProgramHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner's instrumentation in an application that has the test artifact on its class path (the context of
 * {@link WebPipeSpecsTest}): registered, it takes part only in requests that carry the runner's key, which are
 * answered with every error detail; an ordinary request over HTTP gets none of it, and its GraphQL calls go to
 * the server untouched.
 */
@SpringBootTest(classes = SpecTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "webpipe.routes-location=classpath:/spec/passing/,classpath:/spec/failing/")
class RunnerInstrumentationTest {

	@LocalServerPort
	private int port;

	@Autowired
	private ProgramHolder program;

	@Autowired
	private SpecInstrumentation runner;

	@Autowired
	private HttpHandler httpHandler;

	@Test
	void theRunnersInstrumentationIsRegistered() {
		assertThat(this.program.program().executor().settings().instrumentation()).isSameAs(this.runner);
	}

	@Test
	void anOrdinaryRequestDoesNotInvolveTheRunner() {
		String body = WebClient.create("http://127.0.0.1:" + this.port).get().uri("/probe").retrieve()
			.bodyToMono(String.class).block();
		assertThat(body).isEqualTo("{\"runner\":false,\"details\":false}");
	}

	@Test
	void theRunnersRequestsInvolveItAndShowEveryDetail() {
		MockServerHttpResponse response = new MockServerHttpResponse();
		this.httpHandler.handle(MockServerHttpRequest.get("/probe").build(), response)
			.contextWrite(Context.of(Mocks.CONTEXT_KEY, new Mocks(Map.of())))
			.block();
		assertThat(response.getBodyAsString().block()).isEqualTo("{\"runner\":true,\"details\":true}");
	}

	@Test
	void anOrdinaryGraphqlCallIsNotMocked() {
		String body = WebClient.create("http://127.0.0.1:" + this.port).get().uri("/gql/hello").retrieve()
			.bodyToMono(String.class).block();
		assertThat(body).contains("Hello, server");
	}

}
