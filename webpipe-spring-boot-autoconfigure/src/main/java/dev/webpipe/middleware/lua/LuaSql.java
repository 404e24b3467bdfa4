package dev.webpipe.middleware.lua;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.jspecify.annotations.Nullable;

/**
 * The database behind Lua's {@code executeSql(sql, params)}. The {@code pg} middleware provides
 * one (its row-returning wrapper); without a bean of this type {@code executeSql} answers
 * {@code nil, "database not configured"}.
 * <p>
 * Called on a Lua worker thread (never an event loop), so an implementation may block until the
 * statement completes.
 */
@FunctionalInterface
public interface LuaSql {

	/**
	 * Runs one row-returning statement.
	 * @param sql the SQL text, with positional parameters {@code $1}, {@code $2}, …
	 * @param params the parameter values in order (JSON values; {@code null} for SQL NULL)
	 * @return {@code {"rows": [...], "rowCount": n}}
	 * @throws RuntimeException when the statement fails; its message, plain text for the script
	 * author (no Java class names), becomes the {@code err} result of {@code executeSql}
	 */
	JsonNode query(String sql, ArrayNode params);

	/**
	 * The database for the {@code lua} steps of one program, asked once per step at load time
	 * (the program's {@code config} blocks may name the database). Returns {@code null} when the
	 * program has none, so that {@code executeSql} answers {@code nil, "database not configured"}.
	 * @param definition the {@code lua} step
	 * @return the database, or {@code null}
	 */
	default @Nullable LuaSql bind(dev.webpipe.middleware.StepDefinition definition) {
		return this;
	}

}
