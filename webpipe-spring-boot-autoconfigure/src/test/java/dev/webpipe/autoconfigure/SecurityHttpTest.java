package dev.webpipe.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.web.PrincipalReader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code $context.principal} behind Spring Security's reactive filter chain over real HTTP
 * (docs/security.md#spring-security): the signed-in user's name and authorities, inside {@code @async} tasks too,
 * {@code null} on a public path; the chain's own rules answer 401 and 403 before any step runs.
 */
@SpringBootTest(classes = SecurityHttpTest.SecuredApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "webpipe.routes-location=classpath:/security-routes/", "management.health.redis.enabled=false" })
@AutoConfigureWebTestClient
class SecurityHttpTest {

	@Autowired
	private WebTestClient client;

	@Test
	void theSignedInUserIsThePrincipal() {
		this.client.get().uri("/me").headers((headers) -> headers.setBasicAuth("ada", "ada-password")).exchange()
			.expectStatus().isOk()
			.expectBody().json("{\"principal\":{\"name\":\"ada\",\"authorities\":[\"ROLE_ADMIN\",\"ROLE_USER\"]}}", true);
	}

	@Test
	void tasksSeeThePrincipalToo() {
		this.client.get().uri("/me/async").headers((headers) -> headers.setBasicAuth("bob", "bob-password")).exchange()
			.expectStatus().isOk()
			.expectBody().json("{\"task\":\"bob\"}", true);
	}

	@Test
	void aRequestWithoutAUserHasANullPrincipal() {
		this.client.get().uri("/public/who").exchange()
			.expectStatus().isOk()
			.expectBody().json("{\"principal\":null,\"has\":true}", true);
	}

	@Test
	void theFilterChainDecidesBeforeAnyStep() {
		this.client.get().uri("/me").exchange().expectStatus().isUnauthorized();
		this.client.get().uri("/admin/who").headers((headers) -> headers.setBasicAuth("bob", "bob-password"))
			.exchange().expectStatus().isForbidden();
		this.client.get().uri("/admin/who").headers((headers) -> headers.setBasicAuth("ada", "ada-password"))
			.exchange().expectStatus().isOk().expectBody().json("{\"name\":\"ada\"}", true);
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableWebFluxSecurity
	static class SecuredApplication {

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http
				.authorizeExchange((exchanges) -> exchanges.pathMatchers("/public/**").permitAll()
					.pathMatchers("/admin/**").hasRole("ADMIN")
					.anyExchange().authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("ada").password("{noop}ada-password").roles("ADMIN", "USER").build(),
					User.withUsername("bob").password("{noop}bob-password").roles("USER").build());
		}

	}

}
