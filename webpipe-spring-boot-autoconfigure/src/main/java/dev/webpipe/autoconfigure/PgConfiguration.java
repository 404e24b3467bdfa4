package dev.webpipe.autoconfigure;

import java.util.List;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.webpipe.middleware.lua.LuaSql;
import dev.webpipe.middleware.pg.PgConnections;
import dev.webpipe.middleware.pg.PgLuaSql;
import dev.webpipe.middleware.pg.PgMiddleware;

/**
 * The {@code pg} middleware, when the PostgreSQL R2DBC driver and pool are present (the starter
 * brings both). The application's {@link ConnectionFactory} is looked up when the {@code .wp}
 * files are compiled, after every bean definition (Spring Boot's R2DBC auto-configuration
 * included) is known, so no auto-configuration order is needed; without one, {@code config pg}
 * builds a pool that closes with the context. Nothing connects at start-up.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ ConnectionFactory.class, PostgresqlConnectionFactory.class, ConnectionPool.class })
class PgConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PgConnections webPipePgConnections(ObjectProvider<ConnectionFactory> connectionFactory,
			WebPipeProperties properties) {
		return new PgConnections(connectionFactory::getIfAvailable, properties.getPg().getStatementTimeout());
	}

	@Bean
	WebPipeBuiltins webPipePgBuiltins(PgConnections connections) {
		return new WebPipeBuiltins(List.of(new PgMiddleware(connections)));
	}

	/** Lua's {@code executeSql} uses the same database as {@code pg} steps. */
	@Bean
	@ConditionalOnClass(name = "org.luaj.vm2.Globals")
	@ConditionalOnMissingBean(LuaSql.class)
	LuaSql webPipeLuaSql(PgConnections connections) {
		return new PgLuaSql(connections);
	}

}
