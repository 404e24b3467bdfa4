package dev.webpipe.runtime;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webpipe.middleware.Json;

/**
 * The state-passing rules of docs/runtime.md#how-steps-change-the-state, docs/runtime.md#results-under-data and docs/runtime.md#errors-and-result. States are treated as immutable
 * values: every operation copies the top-level object it changes and shares the rest.
 */
final class StateOps {

	/** The system keys (docs/runtime.md#more-steps-follow), in their canonical order. */
	public static final List<String> SYSTEM_KEYS = List.of("async", "data", "originalRequest", "query", "params",
			"body", "headers", "cookies", "method", "path", "ip", "content_type");

	private static final Set<String> SYSTEM_KEY_SET = Set.copyOf(SYSTEM_KEYS);

	private StateOps() {
	}

	public static boolean isSystemKey(String key) {
		return SYSTEM_KEY_SET.contains(key);
	}

	/** A shallow copy of an object (children are shared), with room for one key more. */
	public static ObjectNode copy(ObjectNode node) {
		return copy(node, 1);
	}

	/**
	 * A shallow copy of an object with room for {@code more} keys besides its own, made at its size rather than
	 * grown key by key (docs/performance.md#fourth-profile).
	 */
	private static ObjectNode copy(ObjectNode node, int more) {
		ObjectNode copy = new ObjectNode(Json.NODES, new LinkedHashMap<>((int) ((node.size() + more) / 0.75f) + 1));
		copy.setAll(node);
		return copy;
	}

	/** Merge class: objects merged (output keys win), otherwise the output. */
	public static JsonNode merge(JsonNode current, JsonNode output) {
		if (current instanceof ObjectNode currentObject && output instanceof ObjectNode outputObject) {
			if (outputObject.isEmpty()) {
				return current;
			}
			ObjectNode merged = copy(currentObject, outputObject.size());
			merged.setAll(outputObject);
			return merged;
		}
		return output;
	}

	/**
	 * Transform class: the output replaces the state; while more steps follow, system keys of
	 * the old state that the output lacks are appended in their old order.
	 */
	public static JsonNode transform(JsonNode current, JsonNode output, boolean moreStepsFollow) {
		if (!moreStepsFollow || !(output instanceof ObjectNode outputObject)
				|| !(current instanceof ObjectNode currentObject)) {
			return output;
		}
		ObjectNode restored = null;
		Iterator<Map.Entry<String, JsonNode>> fields = currentObject.fields();
		while (fields.hasNext()) {
			Map.Entry<String, JsonNode> field = fields.next();
			if (isSystemKey(field.getKey()) && !outputObject.has(field.getKey())) {
				if (restored == null) {
					restored = copy(outputObject, SYSTEM_KEYS.size());
				}
				restored.set(field.getKey(), field.getValue());
			}
		}
		return (restored != null) ? restored : output;
	}

	/** Places a named result: {@code .data.<name> = value}, the rest untouched (docs/runtime.md#results-under-data). */
	public static JsonNode placeNamed(JsonNode current, String name, JsonNode value) {
		ObjectNode state = (current instanceof ObjectNode object) ? copy(object) : Json.NODES.objectNode();
		JsonNode data = state.get("data");
		ObjectNode newData = (data instanceof ObjectNode dataObject) ? copy(dataObject)
				: Json.NODES.objectNode();
		newData.set(name, value);
		state.set("data", newData);
		return state;
	}

	/** Places an unnamed Merge-class result: {@code .data = value}, the rest kept. */
	public static JsonNode placeData(JsonNode current, JsonNode value) {
		ObjectNode state = (current instanceof ObjectNode object) ? copy(object) : Json.NODES.objectNode();
		state.set("data", value);
		return state;
	}

	/** The state before a failed step with {@code errors} replaced (docs/runtime.md#errors-and-result). */
	public static JsonNode withErrors(JsonNode current, List<ObjectNode> errors) {
		ObjectNode state = (current instanceof ObjectNode object) ? copy(object) : Json.NODES.objectNode();
		ArrayNode array = state.arrayNode();
		errors.forEach(array::add);
		state.set("errors", array);
		return state;
	}

	/** Rewrites {@code type} of every error of an {@code errors} array to {@code name} ({@code @error}). */
	public static JsonNode renameErrors(JsonNode state, String name) {
		if (!(state instanceof ObjectNode object) || !(object.get("errors") instanceof ArrayNode errors)) {
			return state;
		}
		ArrayNode renamed = errors.arrayNode();
		for (JsonNode error : errors) {
			if (error instanceof ObjectNode errorObject && errorObject.has("type")) {
				ObjectNode copy = copy(errorObject);
				copy.put("type", name);
				renamed.add(copy);
			}
			else {
				renamed.add(error);
			}
		}
		ObjectNode copy = copy(object);
		copy.set("errors", renamed);
		return copy;
	}

	/** Renames the {@code type} of each error in a list. */
	public static List<ObjectNode> renameErrors(List<ObjectNode> errors, String name) {
		return errors.stream().map(error -> {
			ObjectNode copy = copy(error);
			copy.put("type", name);
			return copy;
		}).toList();
	}

}
