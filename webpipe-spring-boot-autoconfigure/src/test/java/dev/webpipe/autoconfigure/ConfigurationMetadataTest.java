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
			String name = property.get("name").asText();
			names.add(name);
			assertThat(property.path("description").asText()).as(name).isNotBlank();
			if (!WITHOUT_DEFAULT.contains(name)) {
				assertThat(property.has("defaultValue")).as(name + " has a default in the metadata").isTrue();
			}
		}
		assertThat(find(metadata, "webpipe.routes-location").get("defaultValue").toString())
			.isEqualTo("[\"classpath*:/routes/**/*.wp\"]");
		assertThat(find(metadata, "webpipe.test").get("defaultValue").asBoolean(true)).isFalse();
		assertThat(find(metadata, "management.endpoint.webpipe.show-values").get("defaultValue").asText())
			.isEqualTo("never");
		assertThat(names).contains("webpipe.enabled", "webpipe.routes-location", "webpipe.env",
				"webpipe.async.task-timeout", "webpipe.async.detached-timeout", "webpipe.feature-flags.timeout",
				"webpipe.fetch.default-timeout", "webpipe.fetch.max-response-size", "webpipe.graphql.endpoint",
				"webpipe.server-timing", "webpipe.lua.scripts-location", "webpipe.lua.max-instructions",
				"webpipe.config", "webpipe.store.type", "webpipe.store.timeout",
				"webpipe.store.reconnect-delay", "webpipe.rate-limit.on-store-failure", "webpipe.auth.max-concurrent-hashes",
				"webpipe.auth.max-queued-hashes", "webpipe.test", "management.endpoint.webpipe.show-values",
				"management.endpoint.webpipe.roles");
		assertThat(names).contains("webpipe.pg.statement-timeout", "webpipe.fetch.allowed-hosts",
				"webpipe.fetch.denied-hosts", "webpipe.fetch.deny-private-addresses", "webpipe.fetch.max-connections",
				"webpipe.async.max-detached", "webpipe.foreach.max-items");
	}

	/**
	 * Properties whose default is "unset" or depends on the machine (docs/configuration.md says
	 * which); every other one carries its default.
	 */
	private static final List<String> WITHOUT_DEFAULT = List.of("webpipe.env", "webpipe.config",
			"webpipe.graphql.endpoint", "webpipe.auth.max-concurrent-hashes", "management.endpoint.webpipe.roles");

	private static JsonNode find(JsonNode metadata, String name) {
		for (JsonNode property : metadata.get("properties")) {
			if (property.get("name").asText().equals(name)) {
				return property;
			}
		}
		throw new AssertionError("no " + name + " in the metadata");
	}

}
