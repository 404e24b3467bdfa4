package dev.webpipe.middleware.auth;

import java.util.LinkedHashMap;
import java.util.Map;

import io.r2dbc.postgresql.codec.PostgresqlObjectId;
import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.pg.PgStatements;

/**
 * Where every statement of the {@code auth} steps runs: one statement per connection of the
 * {@code pg} database (returned to its pool on completion, error and cancellation), parameters
 * always bound, through {@link PgStatements}: within {@code webpipe.pg.statement-timeout}, and
 * cancelled in PostgreSQL when abandoned (docs/middleware/pg.md#timeouts-and-cancellation). Strings are bound with PostgreSQL's unspecified type, so that the server gives them
 * the type of the column they meet (text, varchar, citext, …), as it does for a literal.
 */
final class AuthSql {

	private final ConnectionFactory connectionFactory;

	private final PgStatements statements;

	AuthSql(ConnectionFactory connectionFactory, PgStatements statements) {
		this.connectionFactory = connectionFactory;
		this.statements = statements;
	}

	/** The first row of a query as column name → value (nulls kept), or empty when there is none. */
	Mono<Map<String, Object>> first(String sql, Object... parameters) {
		return run(sql, parameters, (results) -> results.concatMap((result) -> result.map((row, metadata) -> {
			Map<String, Object> values = new LinkedHashMap<>();
			for (ColumnMetadata column : metadata.getColumnMetadatas()) {
				values.put(column.getName(), row.get(column.getName()));
			}
			return values;
		})).next());
	}

	/** The number of rows a command changed. */
	Mono<Long> update(String sql, @Nullable Object... parameters) {
		return run(sql, parameters, (results) -> results.concatMap(Result::getRowsUpdated).reduce(0L, Long::sum));
	}

	private <T> Mono<T> run(String sql, Object[] parameters,
			java.util.function.Function<Flux<? extends Result>, Mono<T>> read) {
		return this.statements.execute(this.connectionFactory, (Connection connection) -> Mono.defer(() -> {
			Statement statement = connection.createStatement(sql);
			for (int i = 0; i < parameters.length; i++) {
				Object value = parameters[i];
				statement.bind(i, (value instanceof String text) ? Parameters.in(PostgresqlObjectId.UNSPECIFIED, text)
						: value);
			}
			return read.apply(Flux.from(statement.execute()));
		}));
	}

}
