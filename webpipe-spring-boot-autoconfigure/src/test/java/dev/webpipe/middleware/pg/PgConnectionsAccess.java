package dev.webpipe.middleware.pg;

import java.util.Collection;

import io.r2dbc.pool.ConnectionPool;

/** Lets tests of other packages see the pools that {@link PgConnections} created. */
public final class PgConnectionsAccess {

	private PgConnectionsAccess() {
	}

	public static Collection<ConnectionPool> pools(PgConnections connections) {
		return connections.pools();
	}

}
