package dev.webpipe.middleware.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

	static final ConfigBlock<AuthSettings> CONFIG = ConfigBlock.of("auth", AuthSettings.class);

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
		AuthSettings settings = definition.settings(CONFIG);
		PgConnections.Lease lease;
		try {
			lease = this.connections.lease(definition);
		}
		catch (InvalidStepException ex) {
			throw ex.isSetup() ? InvalidStepException.setup(NO_DATABASE) : ex;
		}
		if (!settings.cookieSecure() && !AuthSettings.setsCookieSecure(definition.configBlock("auth"))
				&& this.insecureCookieLogged.compareAndSet(false, true)) {
			logger.warn("auth: session cookies are sent without the Secure attribute (config auth cookieSecure is "
					+ "false by default): browsers also send them over plain HTTP. Set cookieSecure: true (or "
					+ "webpipe.config.auth.cookie-secure=true) when the application is served over HTTPS, or "
					+ "cookieSecure: false to say that it is not.");
		}
		return new AuthStep(flow, settings, new AuthSql(lease.factory(), this.connections.statements()), this.hasher,
				this.clock, this.random, lease);
	}

}
