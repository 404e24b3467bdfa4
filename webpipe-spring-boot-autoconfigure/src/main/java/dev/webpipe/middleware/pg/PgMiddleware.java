package dev.webpipe.middleware.pg;

import java.util.List;


import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ConfigBlock;
import dev.webpipe.middleware.ErrorContract;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;

/**
 * {@code |> pg([.id]): `SELECT … WHERE id = $1`} (middleware.md, pg): runs SQL on PostgreSQL with
 * its parameters bound, never spliced into the text. Row-returning SQL answers
 * {@code {rows, rowCount}} with the rows encoded by PostgreSQL's own JSON functions, commands
 * answer {@code {rows: [], rowCount: <rows affected>}}, {@code !raw} SQL answers the JSON value of
 * its first column. A failure is a {@code sqlError}.
 */
public final class PgMiddleware implements Middleware {

	/** {@code config pg}: the connection settings of the pool that {@code pg} steps build themselves. */
	static final ConfigBlock<PgSettings> CONFIG = ConfigBlock.of("pg", PgSettings.class);

	private final PgConnections connections;

	public PgMiddleware(PgConnections connections) {
		this.connections = connections;
	}

	@Override
	public String name() {
		return "pg";
	}

	@Override
	public Behavior behavior() {
		return Behavior.TRANSFORM;
	}

	@Override
	public boolean placesResult() {
		return true;
	}

	@Override
	public int maxInlineArguments() {
		return 1;
	}

	@Override
	public boolean requiresConfig() {
		return true;
	}

	@Override
	public ConfigBlock<?> configBlock() {
		return CONFIG;
	}

	@Override
	public List<ErrorContract> errors() {
		return List.of(new ErrorContract("sqlError", 500));
	}

	@Override
	public boolean warnsOnIdentifierConfig() {
		return true;
	}

	@Override
	public ExecutableStep compile(StepDefinition definition) throws InvalidStepException {
		PgSql sql = PgSql.parse(definition.config());
		if (sql == null) {
			throw new InvalidStepException(definition.config().trim().startsWith("!raw") ? "pg: no SQL after !raw"
					: "pg: the step has no SQL");
		}
		PgConnections.Lease lease = this.connections.lease(definition);
		return new PgStep(lease.factory(), this.connections.statements(), sql, lease);
	}

}
