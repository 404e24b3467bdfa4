package dev.webpipe.middleware.graphql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.lang.Contract;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.graphql.ExecutionGraphQlService;
import org.springframework.graphql.client.ClientGraphQlResponse;
import org.springframework.graphql.client.GraphQlClient;
import org.springframework.graphql.client.HttpGraphQlClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

import dev.webpipe.middleware.ConfigBlock;
import dev.webpipe.middleware.ErrorContract;
import dev.webpipe.middleware.ArgumentTypes;
import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.http.OutboundHttp;
import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Json;
import org.springframework.graphql.client.GraphQlClientInterceptor;

/**
 * {@code |> graphql: `query { … }`}: a GraphQL client (middleware.md, graphql). The target is,
 * in this order, {@code webpipe.graphql.endpoint}, {@code config graphql { endpoint }} (both
 * absolute {@code http(s)} URLs, queried with Spring's {@link HttpGraphQlClient}), or the
 * application's own {@link ExecutionGraphQlService}, called in-process. The result value is the
 * response's {@code data} object; GraphQL {@code errors} become one {@code graphqlError} each.
 * The application's {@link GraphQlClientInterceptor} beans apply to every call, in order (the test runner's
 * mocks of root fields are one, docs/testing.md).
 */
public final class GraphqlMiddleware implements Middleware {

	/** {@code config graphql}: an absolute {@code endpoint} that steps query. */
	static final ConfigBlock<Settings> CONFIG = ConfigBlock.of("graphql", Settings.class);

	/** Key of the step's state in the GraphQL context of in-process calls. */
	public static final String STATE_KEY = "webpipe.state";

	static final String NO_TARGET = "graphql: no GraphQL target: set webpipe.graphql.endpoint, add config graphql "
			+ "{ endpoint: \"https://…\" }, or serve a Spring GraphQL schema in this application";

	private static final Logger logger = LoggerFactory.getLogger(GraphqlMiddleware.class);

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final Supplier<OutboundHttp> http;

	private final @Nullable String endpoint;

	private final Supplier<ExecutionGraphQlService> service;

	private final Supplier<List<GraphQlClientInterceptor>> interceptors;

	private final Map<String, Target> targets = new ConcurrentHashMap<>();

	private final AtomicBoolean warnedAboutEndpoint = new AtomicBoolean();

	/**
	 * @param http the outbound HTTP client for remote endpoints (may supply {@code null} when
	 * there is none)
	 * @param endpoint {@code webpipe.graphql.endpoint}, or {@code null}
	 * @param service the application's GraphQL service (may supply {@code null}), asked at load time
	 */
	public GraphqlMiddleware(Supplier<OutboundHttp> http, @Nullable String endpoint,
			Supplier<ExecutionGraphQlService> service) {
		this(http, endpoint, service, List::of);
	}

	/**
	 * @param http the outbound HTTP client for remote endpoints (may supply {@code null} when
	 * there is none)
	 * @param endpoint {@code webpipe.graphql.endpoint}, or {@code null}
	 * @param service the application's GraphQL service (may supply {@code null}), asked at load time
	 * @param interceptors the interceptors of every call, asked at load time
	 */
	public GraphqlMiddleware(Supplier<OutboundHttp> http, @Nullable String endpoint,
			Supplier<ExecutionGraphQlService> service, Supplier<List<GraphQlClientInterceptor>> interceptors) {
		this.http = http;
		this.endpoint = endpoint;
		this.service = service;
		this.interceptors = interceptors;
	}

	@Override
	public String name() {
		return "graphql";
	}

	@Override
	public ConfigBlock<?> configBlock() {
		return CONFIG;
	}

	@Override
	public List<ErrorContract> errors() {
		return List.of(new ErrorContract("graphqlError", 500),
				new ErrorContract("networkError", 502),
				new ErrorContract("httpError", 502),
				new ErrorContract("timeoutError", 504));
	}

	@Override
	public boolean warnsOnIdentifierConfig() {
		return true;
	}

	@Override
	public Behavior behavior() {
		return Behavior.TRANSFORM;
	}

	@Override
	public boolean placesResult() {
		return true;
	}

	@Override
	public int maxInlineArguments() {
		return 1;
	}

	@Override
	public ExecutableStep compile(StepDefinition definition) throws InvalidStepException {
		Target target = target(definition);
		String document = definition.config();
		return (input) -> execute(target, document, input);
	}

	private Target target(StepDefinition definition) throws InvalidStepException {
		if (this.endpoint != null && !this.endpoint.isBlank()) {
			if (isAbsolute(this.endpoint)) {
				return remote(this.endpoint.trim());
			}
			if (this.warnedAboutEndpoint.compareAndSet(false, true)) {
				logger.warn("webpipe.graphql.endpoint '{}' is not an absolute http(s) URL and is ignored",
						this.endpoint);
			}
		}
		String configured = definition.settings(CONFIG).endpoint();
		if (isAbsolute(configured)) {
			return remote(configured.trim());
		}
		ExecutionGraphQlService local = this.service.get();
		if (local != null) {
			return this.targets.computeIfAbsent("", (key) -> new Target(
					GraphQlClient.builder(new InProcessGraphQlTransport(local))
						.interceptors((list) -> list.addAll(this.interceptors.get()))
						.build(), null, null, null));
		}
		throw InvalidStepException.setup(NO_TARGET);
	}

	private Target remote(String url) throws InvalidStepException {
		OutboundHttp outbound = this.http.get();
		if (outbound == null) {
			throw InvalidStepException.setup("graphql: the endpoint " + url
					+ " cannot be called: remote GraphQL needs Reactor Netty's HTTP client on the class path");
		}
		return this.targets.computeIfAbsent(url, (key) -> {
			HttpGraphQlClient client = HttpGraphQlClient.builder(outbound.webClient()
				.mutate()
				.filter(graphQlBodies(outbound))
				.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(outbound.maxResponseSize())))
				.url(url)
				.interceptors((list) -> list.addAll(this.interceptors.get()))
				.build();
			return new Target(client, url, outbound.defaultTimeout(), OutboundHttp.uriTemplate(url.trim()));
		});
	}

	@Contract("null -> false")
	private static boolean isAbsolute(@Nullable String url) {
		if (url == null) {
			return false;
		}
		String lower = url.trim().toLowerCase(Locale.ROOT);
		return lower.startsWith("http://") || lower.startsWith("https://");
	}

	/**
	 * A GraphQL client and, for remote targets, its URL and timeout.
	 *
	 * @param client the client
	 * @param url the endpoint, or {@code null} in-process
	 * @param timeout the bound of remote calls, or {@code null} in-process
	 * @param template the endpoint as the {@code uri} of the calls' observations, or {@code null} in-process
	 */
	record Target(GraphQlClient client, @Nullable String url, @Nullable Duration timeout, @Nullable String template) {

		boolean remote() {
			return this.url != null;
		}

	}

	private Mono<StepResult> execute(Target target, String configured, StepInput input) {
		JsonNode state = input.state();
		String document = configured;
		if (document.isBlank()) {
			JsonNode query = state.get("query");
			if (query == null || !query.isTextual()) {
				throw new GraphqlArgumentException(
						"graphql: no document: the step has no config and the state has no string 'query'");
			}
			document = query.textValue();
		}
		JsonNode variableValues = variables(configured.isBlank(), input);
		return send(target, document, variableValues, state);
	}

	private Mono<StepResult> send(Target target, String document, JsonNode variableValues, JsonNode state) {
		Map<String, Object> variables = Json.convert(variableValues, MAP);
		GraphQlClient.RequestSpec request = target.client()
			.document(document)
			.variables(variables)
			.attribute(STATE_KEY, state);
		if (target.remote()) {
			// the uri of the call's http.client.requests observation: the endpoint as configured
			// (docs/operations.md#metrics-and-traces)
			request.attribute(OutboundHttp.URI_TEMPLATE_ATTRIBUTE, Objects.requireNonNull(target.template()));
		}
		Mono<ClientGraphQlResponse> call = request.execute();
		if (!target.remote()) {
			return call.map(GraphqlMiddleware::toResult);
		}
		// a remote target has its endpoint and timeout
		String url = Objects.requireNonNull(target.url());
		Duration timeout = Objects.requireNonNull(target.timeout());
		return call.timeout(timeout)
			.map(GraphqlMiddleware::toResult)
			.onErrorResume((ex) -> Mono.just(StepResult.failure(OutboundHttp.errorFor(ex, url, timeout))));
	}

	/** Inline argument 0, else {@code .graphqlParams}, else (without config) {@code .variables}, else {}. */
	private static JsonNode variables(boolean documentFromState, StepInput input) {
		if (!input.arguments().isEmpty()) {
			JsonNode argument = input.argument(0);
			if (argument == null || !argument.isObject()) {
				throw new GraphqlArgumentException(
						"graphql argument 0 must evaluate to an object, got: " + ArgumentTypes.of(argument));
			}
			return argument;
		}
		JsonNode params = input.state().get("graphqlParams");
		if (params != null && params.isObject()) {
			return params;
		}
		JsonNode variables = input.state().get("variables");
		if (documentFromState && variables != null && variables.isObject()) {
			return variables;
		}
		return Json.NODES.objectNode();
	}

	private static StepResult toResult(ClientGraphQlResponse response) {
		JsonNode body = Json.valueToTree(response.toMap());
		JsonNode errors = body.get("errors");
		if (errors != null && errors.isArray() && !errors.isEmpty()) {
			List<ObjectNode> typed = new ArrayList<>();
			for (JsonNode error : errors) {
				typed.add(graphqlError(error));
			}
			return StepResult.failure(typed);
		}
		JsonNode data = body.get("data");
		return StepResult.of((data != null) ? data : NullNode.getInstance());
	}

	private static ObjectNode graphqlError(JsonNode entry) {
		ObjectNode error = Json.NODES.objectNode();
		error.put("type", "graphqlError");
		JsonNode message = entry.get("message");
		error.put("message", (message != null && message.isTextual()) ? message.textValue()
				: entry.isTextual() ? entry.textValue() : "GraphQL error");
		for (String key : List.of("locations", "path", "extensions")) {
			JsonNode value = entry.get(key);
			if (value != null && !value.isNull()) {
				error.set(key, value);
			}
		}
		return error;
	}

	/**
	 * Reads remote responses within the size limit and lets only GraphQL bodies through: a
	 * body with {@code data} or {@code errors} is passed on as a 200 JSON response whatever its
	 * status; any other body is an {@code httpError} (non-2xx) or a {@code networkError}.
	 */
	private static ExchangeFilterFunction graphQlBodies(OutboundHttp outbound) {
		return (request, next) -> next.exchange(request)
			.flatMap((response) -> outbound.readBody(response).flatMap((bytes) -> {
				String text = OutboundHttp.text(response, bytes);
				if (isGraphQlBody(text)) {
					return Mono.just(response.mutate()
						.statusCode(HttpStatus.OK)
						.headers((headers) -> headers.set(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE))
						.body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes)))
						.build());
				}
				int status = response.statusCode().value();
				if (!response.statusCode().is2xxSuccessful()) {
					return Mono.<ClientResponse>error(new OutboundHttp.HttpStatusException(status, text));
				}
				return Mono.<ClientResponse>error(new NotGraphQlResponseException(
						"Not a GraphQL response (status " + status + "): " + abbreviate(text)));
			}));
	}

	private static boolean isGraphQlBody(String text) {
		if (text.isBlank()) {
			return false;
		}
		try {
			JsonNode body = Json.parse(text);
			return body.isObject() && (body.has("data") || body.has("errors"));
		}
		catch (Json.InvalidJsonException ex) {
			return false;
		}
	}

	private static String abbreviate(String text) {
		String flat = text.strip().replaceAll("\\s+", " ");
		return (flat.length() > 200) ? flat.substring(0, 200) + "…" : flat;
	}


	/** A bad variables argument or missing document; the runtime reports it as a {@code graphqlError}. */
	static final class GraphqlArgumentException extends IllegalArgumentException {

		GraphqlArgumentException(String message) {
			super(message);
		}

	}

	/** A 2xx response whose body is not a GraphQL response. */
	static final class NotGraphQlResponseException extends RuntimeException {

		NotGraphQlResponseException(String message) {
			super(message);
		}

	}

	/**
	 * The values of {@code config graphql}.
	 *
	 * @param endpoint an absolute URL that steps query, or a path (the server-side endpoint's)
	 */
	record Settings(@Nullable String endpoint) {
	}

}
