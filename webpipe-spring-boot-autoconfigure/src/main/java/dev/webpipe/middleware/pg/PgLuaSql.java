package dev.webpipe.middleware.pg;

import java.util.List;
import java.util.ArrayList;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.r2dbc.spi.ConnectionFactory;
import org.jspecify.annotations.Nullable;

import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.lua.LuaSql;
import dev.webpipe.middleware.Json;

/**
 * Lua's {@code executeSql} on the same database as {@code pg} steps (the application's
 * {@code ConnectionFactory} or the pool of {@code config pg}), through {@code pg}'s row-returning
 * wrapper and parameter binding. Runs on a Lua worker thread, so it waits for the statement.
 */
public final class PgLuaSql implements LuaSql, AutoCloseable {

	private final PgConnections connections;

	private final @Nullable ConnectionFactory connectionFactory;

	private final PgConnections.@Nullable Lease lease;

	public PgLuaSql(PgConnections connections) {
		this(connections, null);
	}

	private PgLuaSql(PgConnections connections, PgConnections.@Nullable Lease lease) {
		this.connections = connections;
		this.lease = lease;
		this.connectionFactory = (lease != null) ? lease.factory() : null;
	}

	/**
	 * The database of one {@code lua} step, leased until the step is closed (docs/reload.md#what-a-reload-replaces).
	 */
	@Override
	public @Nullable LuaSql bind(StepDefinition definition) {
		try {
			return new PgLuaSql(this.connections, this.connections.lease(definition));
		}
		catch (InvalidStepException ex) {
			// no database: executeSql answers nil, "database not configured"
			return null;
		}
	}

	/** Ends the lease of a bound database. */
	@Override
	public void close() {
		if (this.lease != null) {
			this.lease.close();
		}
	}

	@Override
	public JsonNode query(String sql, ArrayNode params) {
		if (this.connectionFactory == null) {
			throw new IllegalStateException("database not configured");
		}
		PgStep step = new PgStep(this.connectionFactory, this.connections.statements(), PgSql.rows(sql));
		List<JsonNode> values = new ArrayList<>(params.size());
		params.forEach(values::add);
		// The statement timeout bounds the wait; an interrupted wait (the Lua execution was
		// stopped) cancels the subscription, so the statement is cancelled in PostgreSQL too.
		StepResult result = step.execute(values).block();
		if (result == null) {
			throw new IllegalStateException("the statement returned nothing");
		}
		if (result.failed()) {
			throw new IllegalStateException(
					Objects.requireNonNull(result.errors()).get(0).path("message").asText("SQL error"));
		}
		// a query that did not fail has its rows
		return Objects.requireNonNull(result.output());
	}

}
