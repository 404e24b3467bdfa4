package dev.webpipe.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.convert.DurationStyle;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.language.SourceFile;
import dev.webpipe.middleware.lua.LuaMiddleware;
import dev.webpipe.middleware.Json;
import dev.webpipe.testing.HttpCases;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;


/**
 * Runtime rules as data: each {@code runtime/<name>.wp} is served (router function, no server)
 * and the requests of {@code runtime/<name>.json} must answer with the expected status,
 * headers and body. Expected JSON bodies are compared as text, so key order counts.
 * <p>
 * Case file: {@code {"env": …, "profiles": […], "featureFlagsTimeout": "250ms", "cases": [ … ]}},
 * each case as {@link HttpCases#run} reads it. The {@code lua} middleware is available besides the
 * built-in and test ones.
 */
class RuntimeFixturesTest {

	private static final Path ROOT = Paths.get("src/test/resources/runtime");

	@TestFactory
	Stream<DynamicNode> fixtures() throws IOException {
		List<DynamicNode> nodes = new ArrayList<>();
		try (Stream<Path> files = Files.list(ROOT)) {
			for (Path wp : files.filter((p) -> p.toString().endsWith(".wp")).sorted().toList()) {
				nodes.add(fixture(wp));
			}
		}
		assertThat(nodes).as("fixtures in " + ROOT).isNotEmpty();
		return nodes.stream();
	}

	private DynamicContainer fixture(Path wp) throws IOException {
		String name = wp.getFileName().toString().replace(".wp", "");
		JsonNode spec = Json.parse(Files.readString(ROOT.resolve(name + ".json")));
		String env = spec.hasNonNull("env") ? spec.get("env").asText() : null;
		Set<String> envNames = new LinkedHashSet<>();
		if (env != null) {
			envNames.add(env);
		}
		spec.path("profiles").forEach((p) -> envNames.add(p.asText()));
		RuntimeSettings settings = RuntimeSettings.defaults();
		if (spec.has("featureFlagsTimeout")) {
			settings = settings.withFeatureFlagsTimeout(
					DurationStyle.detectAndParse(spec.get("featureFlagsTimeout").asText()));
		}
		Compiler.CompilerOptions options = new Compiler.CompilerOptions(System::getenv, Map.of(), settings);
		List<DynamicTest> tests = new ArrayList<>();
		for (JsonNode testCase : spec.get("cases")) {
			tests.add(DynamicTest.dynamicTest(testCase.get("name").asText(), () -> {
				CompiledProgram program = Compiler.load(List.of(new SourceFile("routes/" + name + ".wp",
						Files.readString(wp))), Programs.registry(List.of(new LuaMiddleware())), options);
				HttpCases.run(Programs.client(program, env, envNames), testCase);
			}));
		}
		return DynamicContainer.dynamicContainer(name, tests);
	}

}
