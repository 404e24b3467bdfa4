package dev.webpipe.middleware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import dev.webpipe.middleware.fetch.FetchMiddleware;
import dev.webpipe.middleware.graphql.GraphqlMiddleware;
import dev.webpipe.middleware.http.OutboundHttp;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;

/** Every {@code wp} code block of {@code docs/middleware/fetch.md} and {@code graphql.md} compiles. */
class HttpMiddlewareDocsExamplesTest {

	private static final List<Path> DOCS = List.of(Path.of("../docs/middleware/fetch.md"),
			Path.of("../docs/middleware/graphql.md"));

	@TestFactory
	Stream<DynamicTest> everyExampleCompiles() throws IOException {
		OutboundHttp http = OutboundHttp.create(WebClient.builder(), Duration.ofSeconds(1), DataSize.ofKilobytes(1));
		List<Middleware> middleware = List.of(new FetchMiddleware(http),
				new GraphqlMiddleware(() -> http, "https://graphql.example.test/graphql", () -> null));
		List<DynamicTest> tests = new ArrayList<>();
		for (Path doc : DOCS) {
			List<String> lines = Files.readAllLines(doc);
			for (int i = 0; i < lines.size(); i++) {
				if (lines.get(i).equals("```wp")) {
					String name = doc.getFileName() + ":" + (i + 1);
					StringBuilder block = new StringBuilder();
					for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
						block.append(lines.get(i)).append('\n');
					}
					String text = block.toString();
					tests.add(DynamicTest.dynamicTest(name,
							() -> assertThat(Programs.compile(name, text, middleware).routes()).isNotEmpty()));
				}
			}
		}
		assertThat(tests).hasSizeGreaterThan(5);
		return tests.stream();
	}

}
