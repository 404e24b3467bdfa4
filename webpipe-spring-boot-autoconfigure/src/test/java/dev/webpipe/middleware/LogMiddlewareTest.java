package dev.webpipe.middleware;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;

/** The log and debug middleware write what middleware.md says, where it says. */
@ExtendWith(OutputCaptureExtension.class)
class LogMiddlewareTest {

	private static final String ROUTES = """
			config log {
			  level: "info"
			}

			GET /orders/:id
			  |> log: "Fetching order"
			  |> log(.params.id)
			  |> log: "level: warn, includeBody: true"
			  |> debug: "before shaping"
			  |> jq: `{ id: .params.id, setCookies: ["s=1"] }`

			GET /quiet
			  |> log: "enabled: false"
			  |> jq: `{ quiet: true }`
			""";

	@Test
	void logsMessagesWithRouteAndLocationAndAnAccessEntryWhenComplete(CapturedOutput output) {
		CompiledProgram program = Programs.compile("routes/log.wp", ROUTES);
		Programs.client(program, null, Set.of()).get().uri("/orders/42").exchange().expectStatus().isOk();
		assertThat(output).contains("Fetching order [GET /orders/:id routes/log.wp:6]");
		assertThat(output).contains("42 [GET /orders/:id routes/log.wp:7]");
		assertThat(output).contains("before shaping [routes/log.wp:9]");
		assertThat(output).containsPattern(
				"\\{\"level\":\"warn\",\"duration_ms\":\\d+,\"request\":\\{\"method\":\"GET\",\"params\":\\{\"id\":42\\}");
		assertThat(output).contains("\"response\":{\"status\":200,\"body\":{\"id\":42}}");
	}

	@Test
	void enabledFalseLogsNothing(CapturedOutput output) {
		CompiledProgram program = Programs.compile("routes/log.wp", ROUTES);
		Programs.client(program, null, Set.of()).get().uri("/quiet").exchange().expectStatus().isOk();
		assertThat(output).doesNotContain("\"duration_ms\"");
	}

	@Test
	void settingsAndMessagesAreToldApart() {
		assertThat(dev.webpipe.middleware.log.LogMiddlewareAccess.parse("level: warn, includeBody: true"))
			.containsEntry("level", "warn").containsEntry("includeBody", "true");
		assertThat(dev.webpipe.middleware.log.LogMiddlewareAccess.parse("cache: cold")).isNull();
		assertThat(dev.webpipe.middleware.log.LogMiddlewareAccess.parse("Fetching data...")).isNull();
		assertThat(dev.webpipe.middleware.log.LogMiddlewareAccess.parse("level: loud")).isNull();
	}

}
