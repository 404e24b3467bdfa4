package dev.webpipe.middleware.validate;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.Json;

/**
 * A compiled {@code validate} step: checks {@code .body.<field>} for each rule in order and stops at
 * the first failure (docs/middleware/validate.md).
 *
 * @param rules the rules, in order
 */
record ValidateStep(List<ValidationRule> rules) implements ExecutableStep {

	public ValidateStep {
		rules = List.copyOf(rules);
	}

	@Override
	public Mono<StepResult> execute(StepInput input) {
		ObjectNode error = check(input.state());
		return Mono.just((error != null) ? StepResult.failure(error) : StepResult.of(input.state()));
	}

	/** The first rule's error for {@code state}, or {@code null} when every rule passes. */
	@Nullable ObjectNode check(JsonNode state) {
		JsonNode body = (state != null) ? state.get("body") : null;
		JsonNode fields = (body != null && body.isObject()) ? body : null;
		for (ValidationRule rule : this.rules) {
			ObjectNode error = rule.check((fields != null) ? fields.get(rule.field()) : null);
			if (error != null) {
				return error;
			}
		}
		return null;
	}

	/**
	 * The JSON Schema of the request bodies this step accepts: an object whose every rule's field is
	 * required, with {@code type}, {@code minLength}/{@code maxLength} and {@code format: email}.
	 */
	@Override
	public ObjectNode requestBodySchema() {
		ObjectNode schema = Json.NODES.objectNode();
		schema.put("type", "object");
		ObjectNode properties = schema.putObject("properties");
		ArrayNode required = schema.putArray("required");
		for (ValidationRule rule : this.rules) {
			if (!properties.has(rule.field())) {
				required.add(rule.field());
			}
			properties.set(rule.field(), rule.schema());
		}
		return schema;
	}

}
