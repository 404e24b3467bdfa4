package dev.webpipe.compile;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.webpipe.language.SourceFile;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.pg.PgConnections;
import dev.webpipe.middleware.pg.PgMiddleware;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;

/** Config blocks: values resolved once at load time, merged, and overridden by properties. */
class ConfigBlocksTest {

	private static final String FILE = """
			config log {
			  level: $LOG_LEVEL || "info"   # a default
			  includeBody: $INCLUDE_BODY || true
			  maxBodySize: $MAX || 100
			  format: "json"
			}

			config log {
			  format: "text"
			}

			GET /a
			  |> jq: `.`
			""";

	@Test
	void environmentValuesAreStringsAndDefaultsKeepTheirType() {
		CompiledProgram program = compile(Map.of("LOG_LEVEL", "warn"), Map.of());
		assertThat(Json.write(program.configBlocks().get("log")))
			.isEqualTo("{\"level\":\"warn\",\"includeBody\":true,\"maxBodySize\":100,\"format\":\"text\"}");
		assertThat(program.warnings()).extracting((d) -> d.headline())
			.containsExactly("routes/config.wp:9:3: warning: config log key 'format' overrides an earlier value");
	}

	@Test
	void propertiesOverrideKeysOfTheFiles() {
		CompiledProgram program = compile(Map.of("MAX", "5"),
				Map.of("log", Map.of("level", "error"), "pg", Map.of("host", "db.local")));
		assertThat(program.configBlocks().get("log").get("level").asText()).isEqualTo("error");
		assertThat(program.configBlocks().get("log").get("maxBodySize").asText()).isEqualTo("5");
		assertThat(program.configBlocks().get("pg").get("host").asText()).isEqualTo("db.local");
	}

	private static CompiledProgram compile(Map<String, String> environment,
			Map<String, Map<String, String>> overrides) {
		// pg declares config pg; no step uses it, so no database is needed
		PgMiddleware pg = new PgMiddleware(new PgConnections(() -> null));
		return Compiler.load(List.of(new SourceFile("routes/config.wp", FILE)), Programs.registry(List.of(pg)),
				new Compiler.CompilerOptions(environment::get, overrides));
	}

}
