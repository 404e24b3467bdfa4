package dev.webpipe.middleware.lua;

import java.util.IdentityHashMap;
import java.util.Map;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A deep, read-only copy of a Lua table (after LuaJ's sandbox sample), for values that several
 * executions share: the string metatable and the values of preloaded scripts. Every way a
 * script can change a table (assignment, {@code rawset}, {@code setmetatable},
 * {@code table.insert/remove/sort}) fails with the Lua error "table is read-only".
 */
final class ReadOnlyLuaTable extends LuaTable {

	static final String MESSAGE = "table is read-only";

	private boolean sealed;

	private ReadOnlyLuaTable() {
	}

	/** A read-only copy of {@code value} when it is a table, otherwise {@code value} itself. */
	static LuaValue of(LuaValue value) {
		return of(value, new IdentityHashMap<>());
	}

	/**
	 * Like {@link #of(LuaValue)}, sharing {@code copies} between calls so that a table reachable
	 * from several places (or from itself) is copied once.
	 */
	static LuaValue of(LuaValue value, Map<LuaValue, LuaValue> copies) {
		if (!value.istable() || value instanceof ReadOnlyLuaTable) {
			return value;
		}
		LuaValue known = copies.get(value);
		if (known != null) {
			return known;
		}
		ReadOnlyLuaTable copy = new ReadOnlyLuaTable();
		copies.put(value, copy);
		LuaValue key = LuaValue.NIL;
		while (true) {
			Varargs entry = value.next(key);
			key = entry.arg1();
			if (key.isnil()) {
				break;
			}
			copy.rawsetUnsealed(of(key, copies), of(entry.arg(2), copies));
		}
		LuaValue metatable = value.getmetatable();
		if (metatable != null) {
			copy.setmetatableUnsealed(of(metatable, copies));
		}
		copy.sealed = true;
		return copy;
	}

	private void rawsetUnsealed(LuaValue key, LuaValue value) {
		super.rawset(key, value);
	}

	private void setmetatableUnsealed(LuaValue metatable) {
		super.setmetatable(metatable);
	}

	@Override
	public LuaValue setmetatable(LuaValue metatable) {
		return error(MESSAGE);
	}

	@Override
	public void set(int key, LuaValue value) {
		error(MESSAGE);
	}

	@Override
	public void rawset(int key, LuaValue value) {
		if (this.sealed) {
			error(MESSAGE);
		}
		super.rawset(key, value);
	}

	@Override
	public void rawset(LuaValue key, LuaValue value) {
		if (this.sealed) {
			error(MESSAGE);
		}
		super.rawset(key, value);
	}

	@Override
	public LuaValue remove(int pos) {
		return error(MESSAGE);
	}

	@Override
	public void insert(int pos, LuaValue value) {
		error(MESSAGE);
	}

	@Override
	public void sort(LuaValue comparator) {
		error(MESSAGE);
	}

}
