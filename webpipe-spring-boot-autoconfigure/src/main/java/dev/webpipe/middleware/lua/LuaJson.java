package dev.webpipe.middleware.lua;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import dev.webpipe.middleware.Json;

/**
 * Conversion between JSON and Lua values (middleware.md, lua).
 * <ul>
 * <li>JSON to Lua: objects become tables with string keys, arrays sequences from 1,
 * {@code null} becomes {@code nil} (so the key disappears), numbers Lua numbers (doubles: integers
 * beyond 2^53 lose precision), strings and booleans as such.</li>
 * <li>Lua to JSON: {@code nil} becomes {@code null}; a number with an integral value in the 64-bit
 * range an integer, another number a float, NaN and ±inf {@code 0}; a table whose keys are exactly
 * {@code 1..n} (n ≥ 1) an array, any other table an object (number keys as their decimal text,
 * boolean keys as {@code "true"}/{@code "false"}, other keys skipped), so an empty table is
 * {@code {}}; a value nested more than {@value #MAX_DEPTH} tables deep becomes
 * {@code "[max depth exceeded]"}, a function, userdata or coroutine
 * {@code "[unsupported lua type]"}.</li>
 * </ul>
 * Object keys keep their order: keys that came from a JSON object come first in their original
 * order, other keys follow (integer keys in numeric order, then the rest sorted), because Lua
 * tables have no order of their own. One instance serves one execution (it remembers the key
 * order of the tables it created) and is not thread-safe.
 */
final class LuaJson {

	static final int MAX_DEPTH = 20;

	static final String MAX_DEPTH_EXCEEDED = "[max depth exceeded]";

	static final String UNSUPPORTED = "[unsupported lua type]";

	private static final double TWO_POW_63 = 9.223372036854775808E18;

	private static final JsonNodeFactory NODES = Json.NODES;

	private final Map<LuaTable, List<LuaValue>> keyOrder = new IdentityHashMap<>();

	/** The Lua value of a JSON value. */
	LuaValue toLua(JsonNode json) {
		if (json == null || json.isNull() || json.isMissingNode()) {
			return LuaValue.NIL;
		}
		if (json.isObject()) {
			LuaTable table = new LuaTable(0, json.size());
			List<LuaValue> order = new ArrayList<>(json.size());
			Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> field = fields.next();
				LuaValue value = toLua(field.getValue());
				if (!value.isnil()) {
					LuaValue key = LuaValue.valueOf(field.getKey());
					table.rawset(key, value);
					order.add(key);
				}
			}
			this.keyOrder.put(table, order);
			return table;
		}
		if (json.isArray()) {
			LuaTable table = new LuaTable(json.size(), 0);
			for (int i = 0; i < json.size(); i++) {
				LuaValue value = toLua(json.get(i));
				if (!value.isnil()) {
					table.rawset(i + 1, value);
				}
			}
			return table;
		}
		if (json.isIntegralNumber() && json.canConvertToInt()) {
			return LuaValue.valueOf(json.intValue());
		}
		if (json.isNumber()) {
			return LuaValue.valueOf(json.doubleValue());
		}
		if (json.isBoolean()) {
			return LuaValue.valueOf(json.booleanValue());
		}
		return LuaValue.valueOf(json.asText());
	}

	/** The JSON value of a Lua value. */
	JsonNode toJson(LuaValue value) {
		return toJson(value, 0);
	}

	private JsonNode toJson(LuaValue value, int depth) {
		if (depth > MAX_DEPTH) {
			return NODES.textNode(MAX_DEPTH_EXCEEDED);
		}
		switch (value.type()) {
			case LuaValue.TNIL:
				return NODES.nullNode();
			case LuaValue.TBOOLEAN:
				return NODES.booleanNode(value.toboolean());
			case LuaValue.TNUMBER:
				return number(value);
			case LuaValue.TSTRING:
				return NODES.textNode(value.tojstring());
			case LuaValue.TTABLE:
				return table((LuaTable) value, depth);
			default:
				return NODES.textNode(UNSUPPORTED);
		}
	}

	private static JsonNode number(LuaValue value) {
		if (value.isinttype()) {
			return NODES.numberNode(value.toint());
		}
		double d = value.todouble();
		if (Double.isNaN(d) || Double.isInfinite(d)) {
			return NODES.numberNode(0);
		}
		if (d == Math.rint(d) && d >= -TWO_POW_63 && d < TWO_POW_63) {
			long l = (long) d;
			return (l == (int) l) ? NODES.numberNode((int) l) : NODES.numberNode(l);
		}
		return NODES.numberNode(d);
	}

	private JsonNode table(LuaTable table, int depth) {
		Map<LuaValue, LuaValue> entries = new LinkedHashMap<>();
		LuaValue key = LuaValue.NIL;
		while (true) {
			Varargs entry = table.next(key);
			key = entry.arg1();
			if (key.isnil()) {
				break;
			}
			entries.put(key, entry.arg(2));
		}
		if (isSequence(entries)) {
			JsonNode[] items = new JsonNode[entries.size()];
			entries.forEach((k, v) -> items[(int) k.todouble() - 1] = toJson(v, depth + 1));
			ArrayNode array = NODES.arrayNode(items.length);
			for (JsonNode item : items) {
				array.add(item);
			}
			return array;
		}
		ObjectNode object = NODES.objectNode();
		List<LuaValue> known = this.keyOrder.getOrDefault(table, List.of());
		for (LuaValue k : known) {
			LuaValue v = entries.remove(k);
			if (v != null) {
				object.set(k.tojstring(), toJson(v, depth + 1));
			}
		}
		List<LuaValue> rest = new ArrayList<>(entries.keySet());
		rest.sort(KEY_ORDER);
		for (LuaValue k : rest) {
			String name = keyText(k);
			if (name != null) {
				object.set(name, toJson(Objects.requireNonNull(entries.get(k)), depth + 1));
			}
		}
		return object;
	}

	/** Whether the keys are exactly 1..n with n ≥ 1. */
	private static boolean isSequence(Map<LuaValue, LuaValue> entries) {
		if (entries.isEmpty()) {
			return false;
		}
		int n = entries.size();
		for (LuaValue k : entries.keySet()) {
			if (k.type() != LuaValue.TNUMBER) {
				return false;
			}
			double d = k.todouble();
			if (d != Math.rint(d) || d < 1 || d > n) {
				return false;
			}
		}
		return true;
	}

	private static @Nullable String keyText(LuaValue key) {
		if (key.type() == LuaValue.TSTRING) {
			return key.tojstring();
		}
		if (key.type() == LuaValue.TNUMBER) {
			return number(key).asText();
		}
		if (key.type() == LuaValue.TBOOLEAN) {
			return String.valueOf(key.toboolean());
		}
		return null;
	}

	/** Numbers first in numeric order, then the other keys by their text. */
	private static final Comparator<LuaValue> KEY_ORDER = (a, b) -> {
		boolean an = a.type() == LuaValue.TNUMBER;
		boolean bn = b.type() == LuaValue.TNUMBER;
		if (an && bn) {
			return Double.compare(a.todouble(), b.todouble());
		}
		if (an != bn) {
			return an ? -1 : 1;
		}
		return a.tojstring().compareTo(b.tojstring());
	};

}
