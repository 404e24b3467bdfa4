package dev.webpipe.middleware.pg;

/**
 * The connection settings of {@code config pg { … }} and {@code webpipe.config.pg.*}
 * (docs/middleware/pg.md#where-the-connection-comes-from), bound once at load time; a key left out takes its default.
 */
record PgSettings(String host, Integer port, String database, String user, String password, Boolean ssl,
		Integer initialPoolSize, Integer maxPoolSize) {

	PgSettings {
		host = (host != null) ? host : "localhost";
		port = (port != null) ? port : 5432;
		database = (database != null) ? database : "postgres";
		user = (user != null) ? user : "postgres";
		password = (password != null) ? password : "postgres";
		ssl = (ssl != null) ? ssl : false;
		initialPoolSize = (initialPoolSize != null) ? initialPoolSize : 5;
		maxPoolSize = (maxPoolSize != null) ? maxPoolSize : 20;
		if (initialPoolSize < 0) {
			throw new IllegalArgumentException("initialPoolSize must be at least 0, got " + initialPoolSize);
		}
		if (maxPoolSize < 1) {
			throw new IllegalArgumentException("maxPoolSize must be at least 1, got " + maxPoolSize);
		}
		if (initialPoolSize > maxPoolSize) {
			throw new IllegalArgumentException("initialPoolSize (" + initialPoolSize
					+ ") must not be larger than maxPoolSize (" + maxPoolSize + ")");
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
		}
	}

	/** The settings without the password, for logs. */
	@Override
	public String toString() {
		return this.user + "@" + this.host + ":" + this.port + "/" + this.database + (this.ssl ? " (ssl)" : "")
				+ ", pool " + this.initialPoolSize + ".." + this.maxPoolSize;
	}

}
