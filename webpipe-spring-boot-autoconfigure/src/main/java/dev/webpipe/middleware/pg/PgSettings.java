package dev.webpipe.middleware.pg;

import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.webpipe.middleware.InvalidStepException;

/**
 * The connection settings of {@code config pg { … }} and {@code webpipe.config.pg.*}
 * (middleware.md, pg), defaults applied and string values such as {@code "5432"} converted.
 */
record PgSettings(String host, int port, String database, String user, String password, boolean ssl,
		int initialPoolSize, int maxPoolSize) {

	/** The keys {@code config pg} understands, in the order the documentation lists them. */
	static final List<String> KEYS = List.of("host", "port", "database", "user", "password", "ssl",
			"initialPoolSize", "maxPoolSize");

	static PgSettings from(ObjectNode block) throws InvalidStepException {
		Iterator<String> names = block.fieldNames();
		while (names.hasNext()) {
			String key = names.next();
			if (!KEYS.contains(key)) {
				throw new InvalidStepException("pg: unknown key '" + key + "' in config pg (known keys: "
						+ String.join(", ", KEYS) + ")");
			}
		}
		int initial = number(block, "initialPoolSize", 5, 0);
		int max = number(block, "maxPoolSize", 20, 1);
		if (initial > max) {
			throw new InvalidStepException("pg: config pg initialPoolSize (" + initial
					+ ") must not be larger than maxPoolSize (" + max + ")");
		}
		int port = number(block, "port", 5432, 1);
		if (port > 65535) {
			throw new InvalidStepException("pg: config pg port must be between 1 and 65535, got " + port);
		}
		return new PgSettings(text(block, "host", "localhost"), port, text(block, "database", "postgres"),
				text(block, "user", "postgres"), text(block, "password", "postgres"), bool(block, "ssl", false),
				initial, max);
	}

	private static String text(ObjectNode block, String key, String fallback) {
		JsonNode value = block.get(key);
		return (value == null || value.isNull()) ? fallback : value.asText();
	}

	private static int number(ObjectNode block, String key, int fallback, int min) throws InvalidStepException {
		JsonNode value = block.get(key);
		if (value == null || value.isNull()) {
			return fallback;
		}
		String text = value.asText().trim();
		int parsed;
		try {
			parsed = Integer.parseInt(text);
		}
		catch (NumberFormatException ex) {
			throw new InvalidStepException("pg: config pg " + key + " must be a whole number, got '" + text + "'");
		}
		if (parsed < min) {
			throw new InvalidStepException("pg: config pg " + key + " must be at least " + min + ", got " + parsed);
		}
		return parsed;
	}

	private static boolean bool(ObjectNode block, String key, boolean fallback) throws InvalidStepException {
		JsonNode value = block.get(key);
		if (value == null || value.isNull()) {
			return fallback;
		}
		String text = value.asText().trim();
		if (text.equalsIgnoreCase("true")) {
			return true;
		}
		if (text.equalsIgnoreCase("false")) {
			return false;
		}
		throw new InvalidStepException("pg: config pg " + key + " must be true or false, got '" + text + "'");
	}

	/** The settings without the password, for logs. */
	@Override
	public String toString() {
		return this.user + "@" + this.host + ":" + this.port + "/" + this.database + (this.ssl ? " (ssl)" : "")
				+ ", pool " + this.initialPoolSize + ".." + this.maxPoolSize;
	}

}
