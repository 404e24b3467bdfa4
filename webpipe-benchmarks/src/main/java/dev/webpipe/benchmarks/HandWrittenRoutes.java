package dev.webpipe.benchmarks;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.r2dbc.spi.Readable;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.webpipe.middleware.Json;

/**
 * The hand-written WebFlux twins of the routes of {@code bench/routes.wp}: what an engineer would write without
 * WebPipe, with the same tools: jackson-jq programs compiled once (for the jq-only route and the fan-out's final
 * step), the same {@link WebClient} and the same {@link DatabaseClient} over the same connection pool, and the
 * same Jackson 2 mapper for the JSON they answer, which is byte for byte the one of the {@code .wp} route.
 */
final class HandWrittenRoutes {

	private static final String USER_SQL = "SELECT id, name, email FROM users WHERE id = $1";

	private final WebClient webClient;

	private final DatabaseClient databaseClient;

	private final URI[] delayed;

	private final URI item;

	private final Scope root;

	private final JsonQuery hello;

	private final JsonQuery fanOut;

	HandWrittenRoutes(WebClient webClient, DatabaseClient databaseClient, String upstream) {
		this.webClient = webClient;
		this.databaseClient = databaseClient;
		this.delayed = new URI[] { URI.create(upstream + "/delay/1"), URI.create(upstream + "/delay/2"),
				URI.create(upstream + "/delay/3") };
		this.item = URI.create(upstream + "/item");
		this.root = Scope.newEmptyScope();
		BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, this.root);
		try {
			this.hello = JsonQuery.compile("{ hello: .params.name }", Versions.JQ_1_6);
			this.fanOut = JsonQuery.compile("{ a: .a, b: .b, c: .c }", Versions.JQ_1_6);
		}
		catch (JsonQueryException ex) {
			throw new IllegalStateException(ex);
		}
	}

	RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.GET("/hw/hello/{name}", this::hello)
			.GET("/hw/fanout", this::fanOut)
			.GET("/hw/users/{id}", this::user)
			.GET("/hw/five/{id}", this::five)
			.build();
	}

	/** 1. {@code { hello: .params.name }} applied to {@code {params: {name}}}. */
	private Mono<ServerResponse> hello(ServerRequest request) {
		ObjectNode input = Json.NODES.objectNode();
		input.putObject("params").put("name", request.pathVariable("name"));
		return json(jq(this.hello, input));
	}

	/** 2. Three upstream calls at once ({@code Mono.zip}), then one jq program. */
	private Mono<ServerResponse> fanOut(ServerRequest request) {
		return Mono.zip(get(this.delayed[0]), get(this.delayed[1]), get(this.delayed[2])).flatMap((responses) -> {
			ObjectNode input = Json.NODES.objectNode();
			input.set("a", responses.getT1());
			input.set("b", responses.getT2());
			input.set("c", responses.getT3());
			return json(jq(this.fanOut, input));
		});
	}

	/** 3. One SELECT by primary key. */
	private Mono<ServerResponse> user(ServerRequest request) {
		return findUser(Integer.parseInt(request.pathVariable("id"))).flatMap(HandWrittenRoutes::json);
	}

	/** 4. The five-step pipeline: the id, the user, an upstream call, the answer. */
	private Mono<ServerResponse> five(ServerRequest request) {
		int id = Integer.parseInt(request.pathVariable("id"));
		return findUser(id).flatMap((user) -> get(this.item).flatMap((upstream) -> {
			ObjectNode answer = Json.NODES.objectNode();
			answer.set("user", user);
			answer.set("upstream", upstream);
			return json(answer);
		}));
	}

	private Mono<JsonNode> findUser(int id) {
		return this.databaseClient.sql(USER_SQL)
			.bind(0, id)
			.map((Readable row) -> user(row))
			.one()
			.defaultIfEmpty(NullNode.getInstance());
	}

	private static JsonNode user(Readable row) {
		ObjectNode user = Json.NODES.objectNode();
		user.put("id", row.get("id", Integer.class));
		user.put("name", row.get("name", String.class));
		user.put("email", row.get("email", String.class));
		return user;
	}

	private Mono<JsonNode> get(URI uri) {
		return this.webClient.get()
			.uri(uri)
			.exchangeToMono((response) -> response.bodyToMono(byte[].class))
			.map(Json::parse);
	}

	private JsonNode jq(JsonQuery query, JsonNode input) {
		List<JsonNode> out = new ArrayList<>(1);
		try {
			query.apply(Scope.newChildScope(this.root), input, out::add);
		}
		catch (JsonQueryException ex) {
			throw new IllegalStateException(ex);
		}
		return out.isEmpty() ? NullNode.getInstance() : out.get(0);
	}

	private static Mono<ServerResponse> json(JsonNode body) {
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(Json.writeBytes(body));
	}

}
