package dev.webpipe.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.EnumValue;
import graphql.language.Field;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.parser.Parser;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.client.ClientGraphQlRequest;
import org.springframework.graphql.client.ClientGraphQlResponse;
import org.springframework.graphql.client.ClientResponseField;
import org.springframework.graphql.client.GraphQlClientInterceptor;

import dev.webpipe.middleware.Json;

/**
 * The test runner's mocks of GraphQL root fields (docs/testing.md#mocks), as an interceptor of the {@code graphql}
 * middleware's clients: for a request that carries the runner's {@link Mocks} in its Reactor context, each root
 * field of an operation is logged with its arguments (variables substituted); when every root field is mocked
 * nothing is sent and {@code data} is made of the mocked values, otherwise the operation is sent and the mocked
 * fields replace their entries in {@code data}. Other requests go through untouched.
 */
final class GraphqlFieldMocks implements GraphQlClientInterceptor {

	@Override
	public Mono<ClientGraphQlResponse> intercept(ClientGraphQlRequest request, Chain chain) {
		return Mono.deferContextual((view) -> {
			Mocks mocks = view.getOrDefault(Mocks.CONTEXT_KEY, null);
			return (mocks != null) ? apply(mocks, request, chain) : chain.next(request);
		});
	}

	private static Mono<ClientGraphQlResponse> apply(Mocks mocks, ClientGraphQlRequest request, Chain chain) {
		OperationDefinition operation = operation(request.getDocument());
		if (operation == null) {
			return chain.next(request);
		}
		JsonNode variables = Json.valueToTree(request.getVariables());
		String kind = operation.getOperation().name().toLowerCase(Locale.ROOT);
		Map<String, JsonNode> mocked = new LinkedHashMap<>();
		boolean allMocked = true;
		for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
			if (!(selection instanceof Field field)) {
				allMocked = false;
				continue;
			}
			ObjectNode arguments = Json.NODES.objectNode();
			for (Argument argument : field.getArguments()) {
				arguments.set(argument.getName(), toJson(argument.getValue(), variables));
			}
			JsonNode value = mocks.graphqlField(kind, field.getName(), arguments);
			String key = (field.getAlias() != null) ? field.getAlias() : field.getName();
			if (value != null) {
				mocked.put(key, value);
			}
			else {
				allMocked = false;
			}
		}
		if (allMocked && !mocked.isEmpty()) {
			ObjectNode data = Json.NODES.objectNode();
			mocked.forEach(data::set);
			return Mono.just(new MockedResponse(request, data));
		}
		if (mocked.isEmpty()) {
			return chain.next(request);
		}
		return chain.next(request).map((response) -> {
			JsonNode body = Json.valueToTree(response.toMap());
			if (!response.getErrors().isEmpty() || !(body.get("data") instanceof ObjectNode data)) {
				return response;
			}
			ObjectNode replaced = data.deepCopy();
			mocked.forEach(replaced::set);
			return new MockedResponse(request, replaced);
		});
	}

	/** The first operation of the document, or {@code null} when it does not parse. */
	private static @Nullable OperationDefinition operation(String document) {
		try {
			Document parsed = Parser.parse(document);
			List<Definition> definitions = parsed.getDefinitions();
			for (Definition<?> definition : definitions) {
				if (definition instanceof OperationDefinition operation) {
					return operation;
				}
			}
		}
		catch (RuntimeException ex) {
			// the server reports the syntax error
		}
		return null;
	}

	private static JsonNode toJson(Value<?> value, JsonNode variables) {
		if (value instanceof VariableReference reference) {
			JsonNode bound = variables.get(reference.getName());
			return (bound != null) ? bound : NullNode.getInstance();
		}
		if (value instanceof StringValue string) {
			return Json.NODES.textNode(string.getValue());
		}
		if (value instanceof IntValue integer) {
			return Json.NODES.numberNode(integer.getValue());
		}
		if (value instanceof FloatValue decimal) {
			return Json.NODES.numberNode(decimal.getValue());
		}
		if (value instanceof BooleanValue bool) {
			return Json.NODES.booleanNode(bool.isValue());
		}
		if (value instanceof EnumValue enumValue) {
			return Json.NODES.textNode(enumValue.getName());
		}
		if (value instanceof ArrayValue array) {
			ArrayNode node = Json.NODES.arrayNode();
			for (Value<?> element : array.getValues()) {
				node.add(toJson(element, variables));
			}
			return node;
		}
		if (value instanceof ObjectValue object) {
			ObjectNode node = Json.NODES.objectNode();
			for (ObjectField field : object.getObjectFields()) {
				node.set(field.getName(), toJson(field.getValue(), variables));
			}
			return node;
		}
		return NullNode.getInstance();
	}

	/**
	 * A response whose {@code data} the mocks made. Only its map form is read (the {@code graphql} middleware
	 * reads {@link #toMap()}); typed field access is not offered.
	 */
	private static final class MockedResponse implements ClientGraphQlResponse {

		private final ClientGraphQlRequest request;

		private final Map<String, Object> data;

		MockedResponse(ClientGraphQlRequest request, ObjectNode data) {
			this.request = request;
			this.data = Json.convert(data, new com.fasterxml.jackson.core.type.TypeReference<>() {
			});
		}

		@Override
		public boolean isValid() {
			return true;
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> T getData() {
			return (T) this.data;
		}

		@Override
		public List<ResponseError> getErrors() {
			return List.of();
		}

		@Override
		public Map<Object, Object> getExtensions() {
			return Map.of();
		}

		@Override
		public Map<String, Object> toMap() {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("data", this.data);
			return map;
		}

		@Override
		public ClientResponseField field(String path) {
			throw new UnsupportedOperationException("a mocked GraphQL response offers its map form only");
		}

		@Override
		public <D> D toEntity(Class<D> type) {
			throw new UnsupportedOperationException("a mocked GraphQL response offers its map form only");
		}

		@Override
		public <D> D toEntity(ParameterizedTypeReference<D> type) {
			throw new UnsupportedOperationException("a mocked GraphQL response offers its map form only");
		}

		@Override
		public String toString() {
			return "mocked response to " + this.request.getDocument();
		}

	}

}
