package dev.webpipe.middleware.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.r2dbc.postgresql.api.ErrorDetails;
import io.r2dbc.postgresql.api.PostgresqlException;
import io.r2dbc.spi.R2dbcException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.pg.PgStatements;

/**
 * One compiled {@code auth} step (docs/middleware/auth.md): its output is merged into the state
 * ({@code .user}, {@code .setCookies}, {@code .message}); expected failures are {@code authError}s,
 * database failures {@code sqlError}s.
 */
final class AuthStep implements ExecutableStep, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(AuthMiddleware.class);

	static final String LOGIN_SQL = "SELECT id, login, email, type, password_hash FROM users "
			+ "WHERE login = $1 AND COALESCE(status, 'active') = 'active' LIMIT 1";

	static final String CREATE_SESSION_SQL = "INSERT INTO sessions (user_id, token, expires_at) VALUES ($1, $2, $3)";

	static final String SESSION_SQL = "SELECT u.id, u.login, u.email, u.type FROM sessions s "
			+ "JOIN users u ON u.id = s.user_id "
			+ "WHERE s.token = $1 AND s.expires_at > $2 AND COALESCE(u.status, 'active') = 'active' LIMIT 1";

	static final String DELETE_SESSION_SQL = "DELETE FROM sessions WHERE token = $1";

	static final String USER_EXISTS_SQL = "SELECT 1 AS found FROM users WHERE login = $1 OR email = $2 LIMIT 1";

	static final String REGISTER_SQL = "INSERT INTO users (login, email, password_hash, type, status) "
			+ "VALUES ($1, $2, $3, 'local', 'active') RETURNING id";

	/** SQLSTATE of a missing table and of a missing column. */
	private static final java.util.Set<String> SCHEMA_MISSING = java.util.Set.of("42P01", "42703");

	private static final String UNIQUE_VIOLATION = "23505";

	private static final int TOKEN_BYTES = 32;

	/** {@code $context.user}: the user of the session an auth step established or checked. */
	static final String CONTEXT_KEY = "user";

	private final AuthFlow flow;

	private final AuthSettings settings;

	private final AuthSql sql;

	private final PasswordHasher hasher;

	private final Clock clock;

	private final SecureRandom random;

	private final AutoCloseable lease;

	AuthStep(AuthFlow flow, AuthSettings settings, AuthSql sql, PasswordHasher hasher, Clock clock,
			SecureRandom random) {
		this(flow, settings, sql, hasher, clock, random, () -> {
		});
	}

	/** A step that holds {@code lease} (its database) until it is closed (docs/reload.md#what-a-reload-replaces). */
	AuthStep(AuthFlow flow, AuthSettings settings, AuthSql sql, PasswordHasher hasher, Clock clock,
			SecureRandom random, AutoCloseable lease) {
		this.lease = lease;
		this.flow = flow;
		this.settings = settings;
		this.sql = sql;
		this.hasher = hasher;
		this.clock = clock;
		this.random = random;
	}

	@Override
	public void close() throws Exception {
		this.lease.close();
	}

	@Override
	public Mono<StepResult> execute(StepInput input) {
		Mono<StepResult> outcome = switch (this.flow.kind()) {
			case LOGIN -> login(input);
			case REGISTER -> register(input);
			case REQUIRED, TYPE -> session(input, false);
			case OPTIONAL -> session(input, true);
			case LOGOUT -> logout(input);
		};
		return outcome.onErrorResume((ex) -> Mono.just(StepResult.failure(failure(ex))));
	}

	// ---- login ----------------------------------------------------------------------------

	private Mono<StepResult> login(StepInput input) {
		JsonNode body = input.state().path("body");
		String login = text(body, "login");
		if (login == null) {
			login = text(body, "username");
		}
		String password = text(body, "password");
		if (login == null || password == null) {
			return Mono.just(authError(AuthErrors.MISSING_LOGIN));
		}
		return this.sql.first(LOGIN_SQL, login)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((user) -> this.hasher.matches(password, user.map((row) -> hash(row.get("password_hash"))).orElse(null))
				.flatMap((matches) -> matches ? startSession(input, user.get())
						: Mono.just(authError(AuthErrors.INVALID_CREDENTIALS))));
	}

	private Mono<StepResult> startSession(StepInput input, Map<String, Object> user) {
		byte[] bytes = new byte[TOKEN_BYTES];
		this.random.nextBytes(bytes);
		String token = HexFormat.of().formatHex(bytes);
		OffsetDateTime expires = OffsetDateTime.ofInstant(this.clock.instant().plusSeconds(this.settings.sessionTtl()),
				ZoneOffset.UTC);
		return this.sql.update(CREATE_SESSION_SQL, user.get("id"), token, expires).map((rows) -> {
			ObjectNode output = Json.NODES.objectNode();
			ObjectNode json = user(user);
			json.put("status", "active");
			output.set("user", json);
			input.context().putMetadata(CONTEXT_KEY, json);
			ArrayNode cookies = output.putArray("setCookies");
			JsonNode existing = input.state().get("setCookies");
			if (existing != null && existing.isArray()) {
				cookies.addAll((ArrayNode) existing);
			}
			cookies.add(this.settings.sessionCookie(token));
			return StepResult.of(output);
		});
	}

	// ---- register -------------------------------------------------------------------------

	private Mono<StepResult> register(StepInput input) {
		JsonNode body = input.state().path("body");
		String login = text(body, "login");
		String email = text(body, "email");
		String password = text(body, "password");
		if (login == null || email == null || password == null) {
			return Mono.just(authError(AuthErrors.MISSING_FIELDS));
		}
		return this.sql.first(USER_EXISTS_SQL, login, email)
			.map((found) -> authError(AuthErrors.USER_EXISTS))
			.switchIfEmpty(Mono.defer(() -> this.hasher.encode(password)
				.flatMap((hash) -> this.sql.first(REGISTER_SQL, login, email, hash))
				.map((row) -> {
					ObjectNode output = Json.NODES.objectNode();
					ObjectNode user = output.putObject("user");
					user.set("id", value(row.get("id")));
					user.put("login", login);
					user.put("email", email);
					user.put("type", "local");
					user.put("status", "active");
					output.put("message", "User registration successful");
					return StepResult.of(output);
				})
				.onErrorResume((ex) -> UNIQUE_VIOLATION.equals(sqlState(ex)),
						(ex) -> Mono.just(authError(AuthErrors.USER_EXISTS)))));
	}

	// ---- required, optional, type:<role> ---------------------------------------------------

	private Mono<StepResult> session(StepInput input, boolean optional) {
		String token = sessionToken(input);
		if (token == null) {
			return Mono.just(optional ? anonymous(input) : authError(AuthErrors.AUTHENTICATION_REQUIRED));
		}
		OffsetDateTime now = OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		return this.sql.first(SESSION_SQL, token, now).map((row) -> {
			ObjectNode user = user(row);
			if (this.flow.kind() == AuthFlow.Kind.TYPE
					&& !Objects.equals(this.flow.role(), user.path("type").asText(null))) {
				return authError(AuthErrors.INSUFFICIENT_PERMISSIONS);
			}
			input.context().putMetadata(CONTEXT_KEY, user);
			ObjectNode output = Json.NODES.objectNode();
			output.set("user", user);
			return StepResult.of(output);
		}).switchIfEmpty(Mono.fromSupplier(() -> optional ? anonymous(input) : authError(AuthErrors.INVALID_SESSION)));
	}

	// ---- logout ---------------------------------------------------------------------------

	private Mono<StepResult> logout(StepInput input) {
		String token = sessionToken(input);
		Mono<Long> deleted = (token != null) ? this.sql.update(DELETE_SESSION_SQL, token) : Mono.just(0L);
		return deleted.map((rows) -> {
			input.context().putMetadata(CONTEXT_KEY, Json.NODES.nullNode());
			ObjectNode output = Json.NODES.objectNode();
			output.putArray("setCookies").add(this.settings.clearingCookie());
			return StepResult.of(output);
		});
	}

	// ---- helpers --------------------------------------------------------------------------

	/** The session cookie: from the state's {@code cookies}, else from the request's. */
	private @Nullable String sessionToken(StepInput input) {
		String token = text(input.state().path("cookies"), this.settings.cookieName());
		if (token == null) {
			token = text(input.context().request().path("cookies"), this.settings.cookieName());
		}
		return token;
	}

	/** {@code {id, login, email, type}} of a row. */
	private static ObjectNode user(Map<String, Object> row) {
		ObjectNode user = Json.NODES.objectNode();
		user.set("id", value(row.get("id")));
		user.set("login", value(row.get("login")));
		user.set("email", value(row.get("email")));
		user.set("type", value(row.get("type")));
		return user;
	}

	private static JsonNode value(@Nullable Object column) {
		if (column == null) {
			return Json.NODES.nullNode();
		}
		if (column instanceof String || column instanceof UUID) {
			return Json.NODES.textNode(column.toString());
		}
		return Json.valueToTree(column);
	}

	private static @Nullable String hash(@Nullable Object column) {
		return (column instanceof String text) ? text : null;
	}

	/** A non-empty string field of an object, else {@code null}. */
	private static @Nullable String text(JsonNode object, String field) {
		JsonNode value = object.get(field);
		return (value != null && value.isTextual() && !value.textValue().isEmpty()) ? value.textValue() : null;
	}

	/** {@code optional} without a valid session: the state is unchanged, {@code $context.user} is null. */
	private static StepResult anonymous(StepInput input) {
		input.context().putMetadata(CONTEXT_KEY, Json.NODES.nullNode());
		return StepResult.of(Json.NODES.objectNode());
	}

	private static StepResult authError(String message) {
		return StepResult.failure(AuthErrors.authError(message));
	}

	private ObjectNode failure(Throwable ex) {
		if (ex instanceof PasswordHasher.TooManyHashesException) {
			return AuthErrors.authError(AuthErrors.TOO_MANY_ATTEMPTS);
		}
		PgStatements.StatementTimeoutException timeout = find(ex, PgStatements.StatementTimeoutException.class);
		if (timeout != null) {
			// cancelled in PostgreSQL, as for pg (docs/middleware/pg.md#timeouts-and-cancellation)
			logger.warn("auth {}: {}", this.flow.kind().name().toLowerCase(java.util.Locale.ROOT), timeout.getMessage());
			ObjectNode error = Errors.error("timeoutError", timeout.getMessage());
			error.put("sqlstate", PgStatements.QUERY_CANCELED);
			return error;
		}
		PostgresqlException server = find(ex, PostgresqlException.class);
		String sqlState = sqlState(ex);
		String message;
		String severity = null;
		if (server != null) {
			ErrorDetails details = server.getErrorDetails();
			message = details.getMessage();
			severity = (details.getSeverityNonLocalized() != null) ? details.getSeverityNonLocalized()
					: details.getSeverityLocalized();
		}
		else {
			message = Errors.plainMessage(ex);
		}
		if (sqlState != null && SCHEMA_MISSING.contains(sqlState)) {
			message = AuthErrors.MISSING_TABLES + " (" + message + ")";
		}
		logger.warn("auth {}: {}", this.flow.kind().name().toLowerCase(java.util.Locale.ROOT), message,
				(server == null && logger.isDebugEnabled()) ? ex : null);
		ObjectNode error = Errors.error("sqlError", message);
		if (sqlState != null && !sqlState.isEmpty()) {
			error.put("sqlstate", sqlState);
		}
		if (severity != null) {
			error.put("severity", severity);
		}
		return error;
	}

	private static @Nullable String sqlState(Throwable ex) {
		R2dbcException r2dbc = find(ex, R2dbcException.class);
		return (r2dbc != null) ? r2dbc.getSqlState() : null;
	}

	private static <T> @Nullable T find(Throwable ex, Class<T> type) {
		for (Throwable t = ex; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (type.isInstance(t)) {
				return type.cast(t);
			}
		}
		return null;
	}

}
