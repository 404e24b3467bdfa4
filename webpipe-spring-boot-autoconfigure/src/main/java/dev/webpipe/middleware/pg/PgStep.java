package dev.webpipe.middleware.pg;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.r2dbc.postgresql.api.ErrorDetails;
import io.r2dbc.postgresql.api.PostgresqlException;
import io.r2dbc.postgresql.codec.PostgresqlObjectId;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Json;

/**
 * One compiled {@code pg} step: binds the parameters, runs the SQL on a connection of the
 * factory (returned to its pool on completion, error and cancellation) and turns the outcome into
 * {@code {rows, rowCount}}, the raw JSON value, or a {@code sqlError}.
 */
final class PgStep implements ExecutableStep, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(PgMiddleware.class);

	/** SQLSTATE 42P18: a parameter's type cannot be inferred from the SQL (such as {@code SELECT $1}). */
	private static final String INDETERMINATE_DATATYPE = "42P18";

	private final ConnectionFactory connectionFactory;

	private final PgStatements statements;

	private final PgSql sql;

	private final AutoCloseable lease;

	PgStep(ConnectionFactory connectionFactory, PgStatements statements, PgSql sql) {
		this(connectionFactory, statements, sql, () -> {
		});
	}

	/** A step that holds {@code lease} until it is closed (docs/reload.md#what-a-reload-replaces). */
	PgStep(ConnectionFactory connectionFactory, PgStatements statements, PgSql sql, AutoCloseable lease) {
		this.connectionFactory = connectionFactory;
		this.statements = statements;
		this.sql = sql;
		this.lease = lease;
	}

	@Override
	public void close() throws Exception {
		this.lease.close();
	}

	@Override
	public Mono<StepResult> execute(StepInput input) {
		return execute(parameters(input));
	}

	/** Runs the statement with these parameter values. */
	Mono<StepResult> execute(List<JsonNode> parameters) {
		if (logger.isDebugEnabled()) {
			logger.debug("pg: {} with parameters {}", this.sql.sql(), Json.write(Json.NODES.arrayNode().addAll(parameters)));
		}
		return this.statements.execute(this.connectionFactory, (connection) -> run(connection, parameters))
			.map(StepResult::of)
			.onErrorResume((ex) -> Mono.just(StepResult.failure(sqlError(ex))));
	}

	/** Inline argument 0, else the state's {@code sqlParams} array, else none. */
	private static List<JsonNode> parameters(StepInput input) {
		JsonNode source;
		if (!input.arguments().isEmpty()) {
			source = input.argument(0);
			if (source == null || !source.isArray()) {
				throw new IllegalArgumentException(
						"pg argument 0 must evaluate to an array, got: " + typeName(source));
			}
		}
		else {
			source = input.state().get("sqlParams");
			if (source == null || !source.isArray()) {
				return List.of();
			}
		}
		List<JsonNode> values = new ArrayList<>(source.size());
		source.forEach(values::add);
		return values;
	}

	/**
	 * Strings and nulls are first bound with PostgreSQL's unspecified type, so that the server
	 * infers their type from the SQL as it does for a literal ({@code uuid_col = $1}). Where it
	 * cannot ({@code SELECT $1}, SQLSTATE 42P18, raised before anything runs), the statement is
	 * run again with them bound as text.
	 */
	private Mono<JsonNode> run(Connection connection, List<JsonNode> parameters) {
		if (parameters.stream().noneMatch(PgStep::isUntyped)) {
			// nothing is bound with the unspecified type: nothing to run again
			return run(connection, parameters, true);
		}
		return run(connection, parameters, true).onErrorResume(PgStep::isIndeterminateType,
				(ex) -> run(connection, parameters, false));
	}

	private Mono<JsonNode> run(Connection connection, List<JsonNode> parameters, boolean unspecified) {
		return Mono.defer(() -> {
			Statement statement = connection.createStatement(this.sql.executed());
			bind(statement, parameters, unspecified);
			Flux<Result> results = Flux.from(statement.execute());
			return switch (this.sql.mode()) {
				case ROWS -> results.concatMap((result) -> result.map((row, metadata) -> rowsValue(row.get(0))))
					.next()
					.map(PgStep::rowsResult);
				case RAW -> results.concatMap((result) -> result.map((row, metadata) -> rawValue(row.get(0))))
					.next()
					.switchIfEmpty(Mono.error(() -> new PgQueryException("the query returned no row")));
				case COMMAND -> results.concatMap(Result::getRowsUpdated)
					.reduce(0L, Long::sum)
					.map(PgStep::commandResult);
			};
		});
	}

	private static void bind(Statement statement, List<JsonNode> parameters, boolean unspecified) {
		for (int i = 0; i < parameters.size(); i++) {
			JsonNode value = parameters.get(i);
			try {
				bind(statement, i, value, unspecified);
			}
			catch (IndexOutOfBoundsException ex) {
				throw new PgQueryException(parameters.size() + " parameter" + ((parameters.size() == 1) ? " was" : "s were")
						+ " given, but the SQL has fewer placeholders ($1, $2, …)");
			}
		}
	}

	private static void bind(Statement statement, int index, JsonNode value, boolean unspecified) {
		if (value.isNull()) {
			statement.bindNull(index, unspecified ? Object.class : String.class);
		}
		else if (value.isBoolean()) {
			statement.bind(index, value.booleanValue());
		}
		else if (value.isIntegralNumber() && value.canConvertToLong()) {
			statement.bind(index, value.longValue());
		}
		else if (value.isIntegralNumber()) {
			// beyond 64 bits: numeric, exact (docs/middleware/pg.md#parameters)
			statement.bind(index, new java.math.BigDecimal(value.bigIntegerValue()));
		}
		else if (value.isNumber()) {
			statement.bind(index, value.doubleValue());
		}
		else if (value.isTextual()) {
			statement.bind(index, unspecified ? Parameters.in(PostgresqlObjectId.UNSPECIFIED, value.textValue())
					: value.textValue());
		}
		else {
			statement.bind(index, io.r2dbc.postgresql.codec.Json.of(Json.write(value)));
		}
	}

	private static boolean isUntyped(JsonNode value) {
		return value.isNull() || value.isTextual();
	}

	private static boolean isIndeterminateType(Throwable ex) {
		R2dbcException r2dbc = find(ex, R2dbcException.class);
		return r2dbc != null && INDETERMINATE_DATATYPE.equals(r2dbc.getSqlState());
	}

	private static JsonNode rowsValue(Object column) {
		JsonNode rows = rawValue(column);
		return rows.isArray() ? rows : Json.NODES.arrayNode();
	}

	private static ObjectNode rowsResult(JsonNode rows) {
		ObjectNode result = Json.NODES.objectNode();
		result.set("rows", rows);
		result.put("rowCount", rows.size());
		return result;
	}

	private static ObjectNode commandResult(long rowsAffected) {
		ObjectNode result = Json.NODES.objectNode();
		result.set("rows", Json.NODES.arrayNode());
		result.put("rowCount", rowsAffected);
		return result;
	}

	/** The JSON value of a column: json/jsonb and text are parsed, other values converted. */
	private static JsonNode rawValue(Object column) {
		if (column == null) {
			return Json.NODES.nullNode();
		}
		if (column instanceof io.r2dbc.postgresql.codec.Json json) {
			return Json.parse(json.asArray());
		}
		if (column instanceof String text) {
			try {
				return Json.parse(text);
			}
			catch (RuntimeException ex) {
				throw new PgQueryException("the first column of !raw must hold JSON, got text that is not JSON");
			}
		}
		if (column instanceof Boolean || column instanceof Number) {
			return Json.valueToTree(column);
		}
		throw new PgQueryException("the first column of !raw must hold JSON (json, jsonb, text, a number or a boolean)");
	}

	/**
	 * {@code sqlError {message, sqlstate?, severity?, query}}; never the parameter values. A
	 * statement cancelled for taking too long, by the statement timeout or by the server, is a
	 * {@code timeoutError} with SQLSTATE 57014 (docs/middleware/pg.md#timeouts-and-cancellation).
	 */
	private ObjectNode sqlError(Throwable ex) {
		PgStatements.StatementTimeoutException timeout = find(ex, PgStatements.StatementTimeoutException.class);
		if (timeout != null) {
			logger.warn("pg: {} cancelled after {}", this.sql.sql(), PgStatements.format(timeout.timeout()));
			ObjectNode error = Errors.error("timeoutError", timeout.getMessage());
			error.put("sqlstate", PgStatements.QUERY_CANCELED);
			error.put("query", this.sql.sql());
			return error;
		}
		PostgresqlException server = find(ex, PostgresqlException.class);
		R2dbcException r2dbc = find(ex, R2dbcException.class);
		String message;
		String severity = null;
		if (server != null) {
			ErrorDetails details = server.getErrorDetails();
			message = details.getMessage();
			severity = (details.getSeverityNonLocalized() != null) ? details.getSeverityNonLocalized()
					: details.getSeverityLocalized();
		}
		else if (ex instanceof PgQueryException) {
			message = ex.getMessage();
		}
		else if (ex instanceof IllegalStateException && isUnboundPlaceholder(ex.getMessage())) {
			// The driver's checks that every placeholder is bound.
			message = "the SQL has more placeholders ($1, $2, …) than the parameters given";
		}
		else {
			message = Errors.plainMessage(ex);
		}
		String sqlState = (r2dbc != null) ? r2dbc.getSqlState() : null;
		ObjectNode error = Errors.error(PgStatements.QUERY_CANCELED.equals(sqlState) ? "timeoutError" : "sqlError",
				message);
		if (sqlState != null && !sqlState.isEmpty()) {
			error.put("sqlstate", sqlState);
		}
		if (severity != null) {
			error.put("severity", severity);
		}
		error.put("query", this.sql.sql());
		if (server == null && !(ex instanceof PgQueryException)) {
			// Not an answer of the database: it may be unreachable.
			logger.warn("pg: {} failed: {}", this.sql.sql(), message, logger.isDebugEnabled() ? ex : null);
		}
		else {
			logger.debug("pg: {} failed: {}", this.sql.sql(), message);
		}
		return error;
	}

	private static boolean isUnboundPlaceholder(@Nullable String message) {
		return message != null
				&& (message.startsWith("No parameter specified") || message.startsWith("Bound parameter count"));
	}

	private static <T> @Nullable T find(Throwable ex, Class<T> type) {
		for (Throwable t = ex; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (type.isInstance(t)) {
				return type.cast(t);
			}
		}
		return null;
	}

	static String typeName(@Nullable JsonNode value) {
		if (value == null || value.isNull() || value.isMissingNode()) {
			return "null";
		}
		JsonNodeType type = value.getNodeType();
		return switch (type) {
			case BOOLEAN -> "boolean";
			case NUMBER -> "number";
			case STRING -> "string";
			case ARRAY -> "array";
			case OBJECT -> "object";
			default -> "null";
		};
	}

	/** A failure of the step that is not the database's own, also reported as {@code sqlError}. */
	static final class PgQueryException extends RuntimeException {

		PgQueryException(String message) {
			super(message);
		}

	}

}
