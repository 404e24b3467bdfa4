package dev.webpipe.autoconfigure;

import java.util.List;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import dev.webpipe.middleware.auth.AuthMiddleware;
import dev.webpipe.middleware.auth.PasswordHasher;
import dev.webpipe.middleware.pg.PgConnections;

/**
 * The {@code auth} middleware, on the database of {@code pg} steps, when Spring Security Crypto and
 * BouncyCastle (for Argon2id) are present (the starter brings both). Password hashes run on the
 * bounded executor of a {@link PasswordHasher} that closes with the context.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(value = { ConnectionFactory.class, PostgresqlConnectionFactory.class, ConnectionPool.class,
		Argon2PasswordEncoder.class }, name = "org.bouncycastle.crypto.params.Argon2Parameters")
class AuthConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PasswordHasher webPipePasswordHasher(WebPipeProperties properties) {
		return new PasswordHasher(properties.getAuth().getMaxConcurrentHashes(),
				properties.getAuth().getMaxQueuedHashes());
	}

	@Bean
	WebPipeBuiltins webPipeAuthBuiltins(PgConnections connections, PasswordHasher hasher) {
		return new WebPipeBuiltins(List.of(new AuthMiddleware(connections, hasher)));
	}

}
