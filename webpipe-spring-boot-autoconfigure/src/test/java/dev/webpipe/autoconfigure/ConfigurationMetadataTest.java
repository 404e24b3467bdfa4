package dev.webpipe.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;

/** IDEs complete {@code webpipe.*}: the configuration processor ran and described every property. */
class ConfigurationMetadataTest {

	@Test
	void everyPropertyOfTheSpecIsDescribed() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated configuration metadata").isNotNull();
			metadata = Json.parse(in.readAllBytes());
		}
		List<String> names = new ArrayList<>();
		for (JsonNode property : metadata.get("properties")) {
			names.add(property.get("name").asText());
			assertThat(property.path("description").asText()).as(property.get("name").asText()).isNotBlank();
		}
		assertThat(names).contains("webpipe.enabled", "webpipe.routes-location", "webpipe.env",
				"webpipe.async.task-timeout", "webpipe.async.detached-timeout", "webpipe.feature-flags.timeout",
				"webpipe.fetch.default-timeout", "webpipe.fetch.max-response-size", "webpipe.graphql.endpoint",
				"webpipe.server-timing", "webpipe.lua.scripts-location", "webpipe.lua.max-instructions",
				"webpipe.config", "webpipe.auth.max-concurrent-hashes", "webpipe.auth.max-queued-hashes");
		assertThat(names).contains("webpipe.pg.statement-timeout", "webpipe.fetch.allowed-hosts",
				"webpipe.fetch.denied-hosts", "webpipe.fetch.deny-private-addresses", "webpipe.fetch.max-connections",
				"webpipe.async.max-detached", "webpipe.foreach.max-items");
	}

}
