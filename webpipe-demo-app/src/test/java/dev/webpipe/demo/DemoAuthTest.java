package dev.webpipe.demo;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's accounts (members.wp) end to end on its embedded PostgreSQL: a new account registers,
 * logs in, reaches the members' area, logs out; Ada (an admin) sees every account. The existing
 * REST API and GraphQL schema still answer a registered account, which has no name, with its login.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DemoAuthTest {

	@Autowired
	private WebTestClient client;

	@Autowired
	private DatabaseClient db;

	@AfterEach
	void removeTheNewAccount() {
		this.db.sql("DELETE FROM users WHERE login = 'kim'").fetch().rowsUpdated().block(Duration.ofSeconds(30));
	}

	@Test
	void aNewAccountRegistersLogsInAndOut() {
		WebTestClient client = this.client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
		client.post().uri("/auth/register").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"login\":\"kim\",\"email\":\"kim@example.com\",\"password\":\"a long passphrase\"}")
			.exchange().expectStatus().isCreated().expectBody()
			.jsonPath("$.login").isEqualTo("kim")
			.jsonPath("$.id").value((id) -> assertThat(((Number) id).intValue()).isGreaterThanOrEqualTo(100))
			.jsonPath("$.message").isEqualTo("User registration successful");
		client.get().uri("/api/users").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$[?(@.name == 'kim')]").exists();
		EntityExchangeResult<byte[]> login = client.post().uri("/auth/login").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"login\":\"kim\",\"password\":\"a long passphrase\"}")
			.exchange().expectStatus().isOk().expectBody().returnResult();
		String cookie = login.getResponseHeaders().getFirst("Set-Cookie");
		String session = cookie.substring(0, cookie.indexOf(';'));
		client.get().uri("/members").header("Cookie", session).exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.message").isEqualTo("Welcome to the members' area, kim");
		client.get().uri("/auth/me").header("Cookie", session).exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.signedIn").isEqualTo(true).jsonPath("$.user.login").isEqualTo("kim");
		client.post().uri("/auth/logout").header("Cookie", session).exchange().expectStatus().isOk();
		client.get().uri("/members").header("Cookie", session).exchange().expectStatus().isUnauthorized();
	}

	@Test
	void adaSeesEveryAccount() {
		WebTestClient client = this.client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
		EntityExchangeResult<byte[]> login = client.post().uri("/auth/login").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"login\":\"ada\",\"password\":\"lovelace-1815\"}")
			.exchange().expectStatus().isOk().expectBody().returnResult();
		String cookie = login.getResponseHeaders().getFirst("Set-Cookie");
		client.get().uri("/members/accounts").header("Cookie", cookie.substring(0, cookie.indexOf(';'))).exchange()
			.expectStatus().isOk().expectBody()
			.jsonPath("$.accounts[0].login").isEqualTo("ada")
			.jsonPath("$.accounts[0].type").isEqualTo("admin")
			.jsonPath("$.accounts[1].login").isEqualTo("grace");
	}

}
