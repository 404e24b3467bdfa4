package dev.webpipe.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The services the demo's routes call, served by the demo itself so that it needs no internet
 * and no external service: a GraphQL schema and a REST API that play "the external API". Each
 * answers after {@code demo.latency} (100 ms by default), as a remote service would, which is
 * what makes {@code @async} visible.
 */
final class DemoServices {

	private DemoServices() {
	}

	/** The GraphQL resolvers, reading the demo database. */
	@Controller
	static class GraphqlResolvers {

		private final DatabaseClient db;

		private final Duration latency;

		GraphqlResolvers(DatabaseClient db, @Value("${demo.latency:100ms}") Duration latency) {
			this.db = db;
			this.latency = latency;
		}

		@QueryMapping
		Mono<List<Map<String, Object>>> users() {
			return slow(this.db.sql("SELECT id, COALESCE(name, login, email) AS name, email FROM users ORDER BY id").fetch().all().collectList());
		}

		@QueryMapping
		Mono<Map<String, Object>> user(@Argument String id) {
			return slow(this.db.sql("SELECT id, COALESCE(name, login, email) AS name, email FROM users WHERE id = $1")
				.bind(0, Integer.parseInt(id))
				.fetch()
				.first());
		}

		@QueryMapping
		Mono<List<Map<String, Object>>> posts(@Argument String userId) {
			Flux<Map<String, Object>> rows = (userId == null)
					? this.db.sql("SELECT id, user_id AS \"userId\", title FROM posts ORDER BY id").fetch().all()
					: this.db.sql("SELECT id, user_id AS \"userId\", title FROM posts WHERE user_id = $1 ORDER BY id")
						.bind(0, Integer.parseInt(userId))
						.fetch()
						.all();
			return slow(rows.collectList());
		}

		@QueryMapping
		Mono<Map<String, Object>> stats() {
			return slow(this.db.sql("SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM posts) AS posts, "
					+ "(SELECT count(*) FROM orders) AS orders").fetch().first());
		}

		@QueryMapping
		Mono<List<Map<String, Object>>> comments() {
			return slow(Mono.just(List.of(Map.of("id", 1, "postId", 1, "text", "A wonderful machine"),
					Map.of("id", 2, "postId", 2, "text", "A moth!"), Map.of("id", 3, "postId", 4, "text", "Yes."))));
		}

		@QueryMapping
		Mono<Map<String, Object>> basicData() {
			return slow(Mono.just(Map.of("plan", "basic", "features", List.of("dashboard", "reports"))));
		}

		@QueryMapping
		Mono<Map<String, Object>> premiumData() {
			return slow(Mono.just(Map.of("plan", "premium", "features", List.of("forecasts", "exports", "support"))));
		}

		@QueryMapping
		Mono<Map<String, Object>> data(@Argument Boolean fail) {
			if (Boolean.TRUE.equals(fail)) {
				return Mono.delay(this.latency).then(Mono.error(new IllegalStateException("the data service failed")));
			}
			return slow(Mono.just(Map.of("value", "from GraphQL")));
		}

		private <T> Mono<T> slow(Mono<T> value) {
			return Mono.delay(this.latency).then(value);
		}

	}

	/** The REST endpoints that play "the external API". */
	@RestController
	@RequestMapping("/api")
	static class ExternalApi {

		private final DatabaseClient db;

		private final Duration latency;

		ExternalApi(DatabaseClient db, @Value("${demo.latency:100ms}") Duration latency) {
			this.db = db;
			this.latency = latency;
		}

		@GetMapping("/users")
		Mono<List<Map<String, Object>>> users() {
			return slow(this.db.sql("SELECT id, COALESCE(name, login, email) AS name FROM users ORDER BY id").fetch().all().collectList());
		}

		@GetMapping("/users/{id}")
		Mono<ResponseEntity<Map<String, Object>>> user(@PathVariable int id) {
			return slow(this.db.sql("SELECT id, COALESCE(name, login, email) AS name, email FROM users WHERE id = $1").bind(0, id).fetch().first()
				.map(ResponseEntity::ok)
				.defaultIfEmpty(ResponseEntity.notFound().build()));
		}

		@GetMapping("/posts")
		Mono<List<Map<String, Object>>> posts() {
			return slow(this.db.sql("SELECT id, title FROM posts ORDER BY id").fetch().all().collectList());
		}

		@GetMapping("/stats")
		Mono<Map<String, Object>> stats() {
			return slow(this.db.sql("SELECT name, value FROM stats ORDER BY name").fetch().all()
				.collectMap((row) -> (String) row.get("name"), (row) -> row.get("value")));
		}

		@GetMapping("/followers/{id}")
		Mono<List<Follower>> followers(@PathVariable int id) {
			return slow(Mono.just(List.of(new Follower(100 + id, "follower one"), new Follower(200 + id, "follower two"))));
		}

		@GetMapping("/data")
		Mono<Map<String, Object>> data() {
			return slow(Mono.just(Map.of("value", "from the external API")));
		}

		@GetMapping("/unavailable")
		Mono<ResponseEntity<String>> unavailable() {
			return slow(Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("maintenance")));
		}

		private <T> Mono<T> slow(Mono<T> value) {
			return Mono.delay(this.latency).then(value);
		}

	}

	/** A follower of the external API. */
	record Follower(int id, String name) {
	}

}
