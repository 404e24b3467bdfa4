package dev.webpipe.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
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
		Mono<List<User>> users() {
			return slow(this.db.sql("SELECT id, COALESCE(name, login, email) AS name, email FROM users ORDER BY id")
				.map(User::of).all().collectList());
		}

		@QueryMapping
		Mono<User> user(@Argument String id) {
			return slow(this.db.sql("SELECT id, COALESCE(name, login, email) AS name, email FROM users WHERE id = $1")
				.bind(0, Integer.parseInt(id))
				.map(User::of)
				.first());
		}

		@QueryMapping
		Mono<List<Post>> posts(@Argument @Nullable String userId) {
			Flux<Post> rows = (userId == null)
					? this.db.sql("SELECT id, user_id, title FROM posts ORDER BY id").map(Post::of).all()
					: this.db.sql("SELECT id, user_id, title FROM posts WHERE user_id = $1 ORDER BY id")
						.bind(0, Integer.parseInt(userId))
						.map(Post::of)
						.all();
			return slow(rows.collectList());
		}

		@QueryMapping
		Mono<Stats> stats() {
			return slow(this.db.sql("SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM posts) AS posts, "
					+ "(SELECT count(*) FROM orders) AS orders")
				.map((row) -> new Stats(row.get("users", Long.class), row.get("posts", Long.class), row.get("orders", Long.class)))
				.first());
		}

		@QueryMapping
		Mono<List<Comment>> comments() {
			return slow(Mono.just(List.of(new Comment(1, 1, "A wonderful machine"), new Comment(2, 2, "A moth!"),
					new Comment(3, 4, "Yes."))));
		}

		@QueryMapping
		Mono<Plan> basicData() {
			return slow(Mono.just(new Plan("basic", List.of("dashboard", "reports"))));
		}

		@QueryMapping
		Mono<Plan> premiumData() {
			return slow(Mono.just(new Plan("premium", List.of("forecasts", "exports", "support"))));
		}

		@QueryMapping
		Mono<Data> data(@Argument Boolean fail) {
			if (Boolean.TRUE.equals(fail)) {
				return Mono.delay(this.latency).then(Mono.error(new IllegalStateException("the data service failed")));
			}
			return slow(Mono.just(new Data("from GraphQL")));
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

		/** The index of the external API: its endpoints, linked from the home page. */
		@GetMapping({ "", "/" })
		Map<String, Object> index() {
			return Map.of("endpoints", List.of("/api/users", "/api/users/{id}", "/api/posts", "/api/stats",
					"/api/followers/{id}", "/api/data", "/api/unavailable"));
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

	/** A user of the GraphQL schema; typed so that Spring GraphQL's schema inspection sees every field mapped. */
	record User(int id, String name, String email) {

		static User of(io.r2dbc.spi.Readable row) {
			return new User(row.get("id", Integer.class), row.get("name", String.class), row.get("email", String.class));
		}

	}

	/** A post of the GraphQL schema. */
	record Post(int id, int userId, String title) {

		static Post of(io.r2dbc.spi.Readable row) {
			return new Post(row.get("id", Integer.class), row.get("user_id", Integer.class), row.get("title", String.class));
		}

	}

	/** The counts of the GraphQL schema. */
	record Stats(long users, long posts, long orders) {
	}

	/** A comment of the GraphQL schema. */
	record Comment(int id, int postId, String text) {
	}

	/** A plan of the GraphQL schema. */
	record Plan(String plan, List<String> features) {
	}

	/** The data field of the GraphQL schema. */
	record Data(String value) {
	}

	/** A follower of the external API. */
	record Follower(int id, String name) {
	}

}
