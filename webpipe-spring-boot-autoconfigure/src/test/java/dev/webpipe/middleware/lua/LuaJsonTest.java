package dev.webpipe.middleware.lua;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.ZeroArgFunction;

import dev.webpipe.middleware.Json;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON to Lua and back (middleware.md, lua). */
class LuaJsonTest {

	private final LuaJson json = new LuaJson();

	@Test
	void nullMembersDisappear() {
		LuaValue table = this.json.toLua(Json.parse("{\"a\":null,\"b\":1}"));
		assertThat(table.get("a").isnil()).isTrue();
		assertThat(roundTrip("{\"a\":null,\"b\":1}")).isEqualTo("{\"b\":1}");
	}

	@Test
	void anEmptyArrayComesBackAsAnEmptyObject() {
		assertThat(roundTrip("{\"list\":[],\"object\":{}}")).isEqualTo("{\"list\":{},\"object\":{}}");
	}

	@Test
	void arraysAreSequencesFromOne() {
		LuaValue table = this.json.toLua(Json.parse("[\"a\",\"b\"]"));
		assertThat(table.get(1).tojstring()).isEqualTo("a");
		assertThat(table.length()).isEqualTo(2);
		assertThat(roundTrip("[1,[2,[3]],{\"x\":[true,false]}]")).isEqualTo("[1,[2,[3]],{\"x\":[true,false]}]");
	}

	@Test
	void aNullInsideAnArrayLeavesAHoleSoTheArrayBecomesAnObject() {
		assertThat(roundTrip("[1,null,3]")).isEqualTo("{\"1\":1,\"3\":3}");
	}

	@Test
	void integersStayIntegersAndFloatsFloats() {
		assertThat(roundTrip("{\"i\":42,\"big\":4294967296,\"f\":1.5,\"neg\":-7,\"whole\":2.0}"))
			.isEqualTo("{\"i\":42,\"big\":4294967296,\"f\":1.5,\"neg\":-7,\"whole\":2}");
		assertThat(this.json.toJson(LuaValue.valueOf(1e300)).isDouble()).isTrue();
		assertThat(this.json.toJson(LuaValue.valueOf(Math.pow(2, 62))).isLong()).isTrue();
		assertThat(this.json.toJson(LuaValue.valueOf(Math.pow(2, 63))).isDouble()).as("outside the 64-bit range")
			.isTrue();
	}

	@Test
	void nanAndInfinityBecomeZero() {
		assertThat(this.json.toJson(LuaValue.valueOf(Double.NaN))).hasToString("0");
		assertThat(this.json.toJson(LuaValue.valueOf(Double.POSITIVE_INFINITY))).hasToString("0");
		assertThat(this.json.toJson(LuaValue.valueOf(Double.NEGATIVE_INFINITY))).hasToString("0");
	}

	@Test
	void stringsAndBooleansAsSuch() {
		assertThat(roundTrip("{\"s\":\"h\\u00e9llo \\ud83d\\ude00\",\"t\":true,\"f\":false}"))
			.isEqualTo("{\"s\":\"héllo 😀\",\"t\":true,\"f\":false}");
	}

	@Test
	void objectKeysKeepTheirJsonOrderAndNewKeysFollowSorted() {
		LuaValue table = this.json.toLua(Json.parse("{\"z\":1,\"a\":2}"));
		table.set("y", LuaValue.valueOf(3));
		table.set("b", LuaValue.valueOf(4));
		table.set(10, LuaValue.valueOf(5));
		table.set(2, LuaValue.valueOf(6));
		assertThat(this.json.toJson(table)).hasToString("{\"z\":1,\"a\":2,\"2\":6,\"10\":5,\"b\":4,\"y\":3}");
	}

	@Test
	void tablesWithOtherKeysAreObjects() {
		LuaTable mixed = new LuaTable();
		mixed.set(1, LuaValue.valueOf("a"));
		mixed.set("k", LuaValue.valueOf("b"));
		assertThat(this.json.toJson(mixed)).hasToString("{\"1\":\"a\",\"k\":\"b\"}");
		LuaTable fromTwo = new LuaTable();
		fromTwo.set(2, LuaValue.valueOf("b"));
		assertThat(this.json.toJson(fromTwo)).hasToString("{\"2\":\"b\"}");
		LuaTable booleanKey = new LuaTable();
		booleanKey.set(LuaValue.TRUE, LuaValue.valueOf(1));
		booleanKey.set(new LuaTable(), LuaValue.valueOf(2));
		assertThat(this.json.toJson(booleanKey)).as("table keys are skipped").hasToString("{\"true\":1}");
		assertThat(this.json.toJson(new LuaTable())).hasToString("{}");
	}

	@Test
	void nestingDeeperThanTwentyIsCut() {
		LuaTable root = new LuaTable();
		LuaTable current = root;
		for (int i = 0; i < 25; i++) {
			LuaTable next = new LuaTable();
			current.set("n", next);
			current = next;
		}
		JsonNode converted = this.json.toJson(root);
		JsonNode node = converted;
		for (int i = 0; i < 20; i++) {
			node = node.get("n");
			assertThat(node.isObject()).as("level " + (i + 1)).isTrue();
		}
		assertThat(node.get("n").asText()).isEqualTo("[max depth exceeded]");
	}

	@Test
	void aCycleEndsAtTheDepthLimit() {
		LuaTable loop = new LuaTable();
		loop.set("self", loop);
		assertThat(this.json.toJson(loop).toString()).contains("[max depth exceeded]");
	}

	@Test
	void functionsAreUnsupported() {
		LuaTable table = new LuaTable();
		table.set("f", new ZeroArgFunction() {
			@Override
			public LuaValue call() {
				return NIL;
			}
		});
		assertThat(this.json.toJson(table)).hasToString("{\"f\":\"[unsupported lua type]\"}");
	}

	@Test
	void nilIsNull() {
		assertThat(this.json.toJson(LuaValue.NIL).isNull()).isTrue();
		assertThat(this.json.toLua(Json.parse("null")).isnil()).isTrue();
	}

	private String roundTrip(String text) {
		return Json.write(this.json.toJson(this.json.toLua(Json.parse(text))));
	}

}
