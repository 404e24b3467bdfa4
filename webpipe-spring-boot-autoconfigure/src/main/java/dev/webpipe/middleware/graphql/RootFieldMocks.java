package dev.webpipe.middleware.graphql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

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
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.Json;
import dev.webpipe.runtime.StepInterceptor;

/**
 * The root fields of a {@code graphql} step's operation under a test's {@link StepInterceptor}
 * (docs/testing.md#mocks): each root field is reported with its arguments (variables substituted); when
 * every root field is mocked nothing is sent and {@code data} is made of the mocked values,
 * otherwise the operation is sent and the mocked fields replace their entries in {@code data}.
 * Only used by tests: serving applications have no interceptor.
 */
final class RootFieldMocks {

	private RootFieldMocks() {
	}

	static Mono<StepResult> apply(StepInterceptor interceptor, String document, JsonNode variables,
			Supplier<Mono<StepResult>> send) {
		OperationDefinition operation = operation(document);
		if (operation == null) {
			return send.get();
		}
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
			JsonNode value = interceptor.graphqlField(kind, field.getName(), arguments);
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
			return Mono.just(StepResult.of(data));
		}
		if (mocked.isEmpty()) {
			return send.get();
		}
		return send.get().map((result) -> {
			if (result.failed() || !(result.output() instanceof ObjectNode data)) {
				return result;
			}
			ObjectNode replaced = data.deepCopy();
			mocked.forEach(replaced::set);
			return new StepResult(replaced, null, result.status(), result.contentType(), result.endPipeline());
		});
	}

	/** The first operation of the document, or {@code null} when it does not parse. */
	private static OperationDefinition operation(String document) {
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

}
