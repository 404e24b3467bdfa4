package dev.webpipe.demo;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.webpipe.middleware.ratelimit.LocalRateLimitStore;
import dev.webpipe.middleware.ratelimit.RateLimitStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guest book (guestbook.wp, which uses handlebars, validate, cache, rateLimit and auth) beyond its
 * in-file tests, which make one request each: a member's fourth entry of a minute is refused, and the
 * page is served from the cache while new entries arrive. Grace signs, with her ready-made session.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DemoGuestBookTest {

	private static final String SESSION = "wp_session=demo-session-grace";

	@Autowired
	private WebTestClient client;

	@Autowired
	private DatabaseClient db;

	@Autowired
	private RateLimitStore windows;

	@BeforeEach
	void startWithNoWindows() {
		// the in-file tests may have counted one of Grace's entries this minute
		assertThat(this.windows).isInstanceOf(LocalRateLimitStore.class);
		((LocalRateLimitStore) this.windows).clear();
	}

	@AfterEach
	void removeTheTestEntries() {
		sql("DELETE FROM guestbook WHERE message LIKE 'From the guest book test%'");
	}

	@Test
	void theFourthEntryOfAMinuteIsRefusedAndThePageIsKept() {
		WebTestClient client = this.client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
		long start = System.nanoTime();
		String page = page(client);
		assertThat(page).contains("<h1>Guest book</h1>").contains("The engine weaves algebraic patterns.");
		for (int i = 1; i <= 3; i++) {
			client.post().uri("/guestbook").header("Cookie", SESSION).contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"message\":\"From the guest book test " + i + "\"}")
				.exchange().expectStatus().isCreated().expectBody()
				.jsonPath("$.by").isEqualTo("grace")
				.jsonPath("$.remaining").isEqualTo(3 - i);
		}
		EntityExchangeResult<String> refused = client.post().uri("/guestbook").header("Cookie", SESSION)
			.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"message\":\"From the guest book test 4\"}")
			.exchange().expectStatus().isEqualTo(429).expectBody(String.class).returnResult();
		assertThat(refused.getResponseBody()).contains("\"error\":\"Three entries a minute: try again later\"");
		assertThat(Integer.parseInt(refused.getResponseBody().replaceAll(".*\"retryAfter\":(\\d+).*", "$1")))
			.isBetween(1, 60);
		Long count = this.db.sql("SELECT count(*) FROM guestbook WHERE message LIKE 'From the guest book test%'")
			.map((row) -> row.get(0, Long.class)).one().block(Duration.ofSeconds(30));
		assertThat(count).isEqualTo(3);
		String again = page(client);
		if (Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(4)) < 0) {
			// within the page's 5 seconds: the cached page, without the new entries
			assertThat(again).isEqualTo(page).doesNotContain("From the guest book test");
		}
	}

	private static String page(WebTestClient client) {
		EntityExchangeResult<String> result = client.get().uri("/guestbook").exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult();
		assertThat(result.getResponseHeaders().getContentType().toString()).startsWith("text/html");
		return result.getResponseBody();
	}

	private void sql(String statement) {
		this.db.sql(statement).fetch().rowsUpdated().block(Duration.ofSeconds(30));
	}

}
