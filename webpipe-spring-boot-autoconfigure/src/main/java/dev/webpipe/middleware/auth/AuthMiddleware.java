package dev.webpipe.middleware.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;
import dev.webpipe.middleware.ErrorContract;
import dev.webpipe.middleware.ConfigBlock;
import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.pg.PgConnections;

/**
 * {@code |> auth: login}, {@code register}, {@code required}, {@code optional}, {@code logout} and
 * {@code auth: "type:<role>"} (docs/middleware/auth.md): sessions in the {@code users} and
 * {@code sessions} tables of the {@code pg} database (the application's {@code ConnectionFactory}
 * or the pool of {@code config pg}), a 32-byte random token in a cookie, Argon2id passwords.
 */
public final class AuthMiddleware implements Middleware {

	private static final Logger logger = LoggerFactory.getLogger(AuthMiddleware.class);

	/** The typed errors of {@code auth} steps and their statuses when unhandled. */
	public static final Map<String, Integer> ERRORS = AuthErrors.CONTRACT;

	private static final String NO_DATABASE = "auth: no database configured: auth keeps its users and sessions in "
			+ "the pg database; add spring-boot-starter-data-r2dbc and set spring.r2dbc.url (with "
			+ "spring.r2dbc.username and spring.r2dbc.password), or declare config pg { host port database user "
			+ "password } (or webpipe.config.pg.* properties)";

	private final PgConnections connections;

	private final PasswordHasher hasher;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	private final AtomicBoolean insecureCookieLogged = new AtomicBoolean();

	public AuthMiddleware(PgConnections connections, PasswordHasher hasher) {
		this(connections, hasher, Clock.systemUTC());
	}

	/** With the clock that dates sessions (tests move it forward to expire them). */
	public AuthMiddleware(PgConnections connections, PasswordHasher hasher, Clock clock) {
		this.connections = connections;
		this.hasher = hasher;
		this.clock = clock;
	}

	@Override
	public String name() {
		return "auth";
	}

	/**
	 * The keys of {@code config auth}; the values are checked when a step compiles (docs/extending.md#the-middleware).
	 */
	record ConfigKeys(@Nullable JsonNode sessionTtl, @Nullable JsonNode cookieName, @Nullable JsonNode cookieSecure, @Nullable JsonNode cookieHttpOnly, @Nullable JsonNode cookieSameSite, @Nullable JsonNode cookiePath) {
	}

	private static final ConfigBlock<ConfigKeys> CONFIG = ConfigBlock.of("auth", ConfigKeys.class);

	@Override
	public ConfigBlock<?> configBlock() {
		return CONFIG;
	}

	@Override
	public List<ErrorContract> errors() {
		return List.of(new ErrorContract("authError", 401), new ErrorContract("sqlError", 500));
	}

	@Override
	public Behavior behavior() {
		return Behavior.MERGE;
	}

	@Override
	public boolean requiresConfig() {
		return true;
	}

	@Override
	public ExecutableStep compile(StepDefinition definition) throws InvalidStepException {
		AuthFlow flow = AuthFlow.parse(definition.config());
		AuthSettings settings = AuthSettings.from(definition.configBlock("auth"));
		PgConnections.Lease lease;
		try {
			lease = this.connections.lease(definition);
		}
		catch (InvalidStepException ex) {
			throw ex.isSetup() ? InvalidStepException.setup(NO_DATABASE) : ex;
		}
		if (!settings.cookieSecure() && this.insecureCookieLogged.compareAndSet(false, true)) {
			logger.warn("auth: session cookies are sent without the Secure attribute (config auth cookieSecure is "
					+ "false): browsers also send them over plain HTTP. Set cookieSecure: true (or "
					+ "webpipe.config.auth.cookie-secure=true) when the application is served over HTTPS.");
		}
		return new AuthStep(flow, settings, new AuthSql(lease.factory(), this.connections.statements()), this.hasher,
				this.clock, this.random, lease);
	}

}
