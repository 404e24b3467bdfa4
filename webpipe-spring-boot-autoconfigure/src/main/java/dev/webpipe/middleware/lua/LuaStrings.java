package dev.webpipe.middleware.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The string functions that can cost more than their arguments' size, bounded by the execution's budget
 * (docs/middleware/lua.md#budgets): {@code string.find}, {@code match}, {@code gmatch} and {@code gsub} through
 * {@link LuaPatterns}, which checks the budget as it backtracks; {@code string.rep}, {@code string.format},
 * {@code table.concat} and {@code gsub} refuse a result larger than the memory budget left before they build it.
 */
final class LuaStrings {

	private LuaStrings() {
	}

	/** Replaces the functions in the {@code string} and {@code table} libraries (either may be nil). */
	static void install(LuaValue string, LuaValue table) {
		if (string instanceof LuaTable strings && !(strings.rawget("find") instanceof Find)) {
			strings.rawset("find", new Find(true));
			strings.rawset("match", new Find(false));
			strings.rawset("gmatch", new GMatch());
			strings.rawset("gsub", new GSub());
			strings.rawset("rep", new Rep());
			strings.rawset("format", new Format(strings.rawget("format")));
		}
		if (table instanceof LuaTable tables && !(tables.rawget("concat") instanceof Concat)) {
			tables.rawset("concat", new Concat(tables.rawget("concat")));
		}
	}

	private static void reserve(long bytes) {
		LuaExecutions.Budget budget = LuaExecutions.budget();
		if (budget != null) {
			budget.reserve(bytes);
		}
	}

	/** {@code posrelat} of Lua 5.2: a negative position counts from the end. */
	private static int relative(int position, int length) {
		if (position >= 0) {
			return position;
		}
		if (-position > length) {
			return 0;
		}
		return length + position + 1;
	}

	/** {@code string.find(s, pattern, init, plain)} and {@code string.match(s, pattern, init)}. */
	private static final class Find extends VarArgFunction {

		private final boolean find;

		Find(boolean find) {
			this.find = find;
		}

		@Override
		public Varargs invoke(Varargs args) {
			LuaString s = args.checkstring(1);
			LuaString pattern = args.checkstring(2);
			int length = s.length();
			int init = relative(args.optint(3, 1), length);
			if (init < 1) {
				init = 1;
			}
			else if (init > length + 1) {
				return NIL;
			}
			if (this.find && (args.arg(4).toboolean() || LuaPatterns.isPlain(pattern))) {
				int index = s.indexOf(pattern, init - 1);
				return (index >= 0) ? varargsOf(valueOf(index + 1), valueOf(index + pattern.length())) : NIL;
			}
			LuaPatterns matcher = new LuaPatterns(s, pattern, LuaExecutions.budget());
			boolean anchored = matcher.isAnchored();
			int p = matcher.patternStart();
			int start = init - 1;
			do {
				int s1 = matcher.at(start);
				int e = matcher.match(s1, p);
				if (e != -1) {
					if (this.find) {
						return varargsOf(valueOf(start + 1), valueOf(matcher.position(e)),
								matcher.captures(false, s1, e));
					}
					return matcher.captures(true, s1, e);
				}
			}
			while (start++ < length && !anchored);
			return NIL;
		}

	}

	/** {@code string.gmatch(s, pattern)}: an iterator over the matches. */
	private static final class GMatch extends VarArgFunction {

		@Override
		public Varargs invoke(Varargs args) {
			LuaString s = args.checkstring(1);
			LuaString pattern = args.checkstring(2);
			return new VarArgFunction() {

				private int position;

				@Override
				public Varargs invoke(Varargs ignored) {
					LuaPatterns matcher = new LuaPatterns(s, pattern, LuaExecutions.budget());
					for (int start = this.position; start <= s.length(); start++) {
						int s1 = matcher.at(start);
						int e = matcher.match(s1, matcher.patternBegin());
						if (e != -1) {
							int next = matcher.position(e);
							this.position = (e == s1) ? next + 1 : next;
							return matcher.captures(true, s1, e);
						}
					}
					return NIL;
				}

			};
		}

	}

	/** {@code string.gsub(s, pattern, repl, n)}. */
	private static final class GSub extends VarArgFunction {

		@Override
		public Varargs invoke(Varargs args) {
			LuaString s = args.checkstring(1);
			int length = s.length();
			LuaString pattern = args.checkstring(2);
			LuaValue replacement = args.arg(3);
			int type = replacement.type();
			if (type != TNUMBER && type != TSTRING && type != TTABLE && type != TFUNCTION) {
				argerror(3, "string/function/table expected");
			}
			int max = args.optint(4, length + 1);
			LuaPatterns matcher = new LuaPatterns(s, pattern, LuaExecutions.budget());
			boolean anchored = matcher.isAnchored();
			int p = matcher.patternStart();
			Builder result = new Builder(length);
			int start = 0;
			int count = 0;
			while (count < max) {
				int s1 = matcher.at(start);
				int e = matcher.match(s1, p);
				if (e != -1) {
					count++;
					add(result, matcher, s1, e, replacement);
				}
				if (e != -1 && e > s1) {
					start = matcher.position(e);
				}
				else if (start < length) {
					result.append(s.m_bytes, s1, 1);
					start++;
				}
				else {
					break;
				}
				if (anchored) {
					break;
				}
			}
			result.append(s.m_bytes, matcher.at(start), length - start);
			return varargsOf(result.toLuaString(), valueOf(count));
		}

		private static void add(Builder result, LuaPatterns matcher, int s, int e, LuaValue replacement) {
			LuaValue value;
			switch (replacement.type()) {
				case TNUMBER, TSTRING -> {
					addString(result, matcher, s, e, replacement.checkstring());
					return;
				}
				case TTABLE -> value = replacement.get(matcher.capture(0, s, e));
				default -> value = replacement.invoke(matcher.captures(true, s, e)).arg1();
			}
			if (!value.toboolean()) {
				// keep the original text
				result.append(matcher.subject(), s, e - s);
			}
			else if (!value.isstring()) {
				throw new LuaError("invalid replacement value (a " + value.typename() + ")");
			}
			else {
				result.append(value.checkstring());
			}
		}

		private static void addString(Builder result, LuaPatterns matcher, int s, int e, LuaString replacement) {
			byte[] bytes = replacement.m_bytes;
			int end = replacement.m_offset + replacement.m_length;
			for (int i = replacement.m_offset; i < end; i++) {
				byte c = bytes[i];
				if (c != '%') {
					result.append(bytes, i, 1);
					continue;
				}
				i++;
				int next = (i < end) ? bytes[i] : 0;
				if (next < '0' || next > '9') {
					if (next != '%') {
						throw new LuaError("invalid use of '%' in replacement string");
					}
					result.append(bytes, i, 1);
				}
				else if (next == '0') {
					result.append(matcher.subject(), s, e - s);
				}
				else {
					result.append(matcher.capture(next - '1', s, e).tostring().checkstring());
				}
			}
		}

	}

	/** The result of {@code gsub}, refused once larger than the memory budget left. */
	private static final class Builder {

		private byte[] bytes;

		private int length;

		Builder(int capacity) {
			this.bytes = new byte[Math.max(16, capacity)];
		}

		void append(LuaString value) {
			append(value.m_bytes, value.m_offset, value.m_length);
		}

		void append(byte[] source, int offset, int count) {
			int needed = this.length + count;
			if (needed > this.bytes.length) {
				long grown = Math.max((long) needed, 2L * this.bytes.length);
				reserve(grown);
				if (grown > Integer.MAX_VALUE - 8) {
					throw new LuaError("resulting string too large");
				}
				this.bytes = java.util.Arrays.copyOf(this.bytes, (int) grown);
			}
			System.arraycopy(source, offset, this.bytes, this.length, count);
			this.length = needed;
		}

		LuaString toLuaString() {
			return LuaString.valueOf(this.bytes, 0, this.length);
		}

	}

	/** {@code string.rep(s, n, sep)}, refused up front when larger than the memory budget left. */
	private static final class Rep extends VarArgFunction {

		@Override
		public Varargs invoke(Varargs args) {
			LuaString s = args.checkstring(1);
			long n = args.checklong(2);
			LuaString separator = args.isnoneornil(3) ? EMPTYSTRING : args.checkstring(3);
			if (n <= 0) {
				return EMPTYSTRING;
			}
			double size = (double) s.length() * n + (double) separator.length() * (n - 1);
			reserve((size > Long.MAX_VALUE / 2) ? -1 : (long) size);
			if (size > Integer.MAX_VALUE - 8) {
				throw new LuaError("resulting string too large");
			}
			byte[] bytes = new byte[(int) size];
			int at = 0;
			for (long i = 0; i < n; i++) {
				if (i > 0) {
					System.arraycopy(separator.m_bytes, separator.m_offset, bytes, at, separator.m_length);
					at += separator.m_length;
				}
				System.arraycopy(s.m_bytes, s.m_offset, bytes, at, s.m_length);
				at += s.m_length;
			}
			return LuaString.valueUsing(bytes);
		}

	}

	/**
	 * {@code string.format}, refused up front when the longest result it could build is larger than the memory
	 * budget left: the format, every string argument, and 512 bytes per other argument.
	 */
	private static final class Format extends VarArgFunction {

		private final LuaValue format;

		Format(LuaValue format) {
			this.format = format;
		}

		@Override
		public Varargs invoke(Varargs args) {
			long size = args.checkstring(1).length();
			for (int i = 2; i <= args.narg(); i++) {
				LuaValue argument = args.arg(i);
				size += (argument.type() == TSTRING) ? argument.checkstring().length() : 512;
			}
			reserve(size);
			return this.format.invoke(args);
		}

	}

	/** {@code table.concat(t, sep, i, j)}, refused up front when larger than the memory budget left. */
	private static final class Concat extends VarArgFunction {

		private final LuaValue concat;

		Concat(LuaValue concat) {
			this.concat = concat;
		}

		@Override
		public Varargs invoke(Varargs args) {
			LuaTable table = args.checktable(1);
			int separator = args.isnoneornil(2) ? 0 : args.checkstring(2).length();
			int first = args.optint(3, 1);
			int last = args.isnoneornil(4) ? table.length() : args.checkint(4);
			long size = 0;
			LuaExecutions.Budget budget = LuaExecutions.budget();
			for (long i = first; i <= last; i++) {
				LuaValue value = table.get((int) i);
				if (!value.isstring()) {
					// LuaJ's concat names the bad value
					break;
				}
				size += value.checkstring().length() + ((i < last) ? separator : 0);
				if (budget != null && (i & 1023) == 0) {
					budget.check();
					budget.reserve(size);
				}
			}
			reserve(size);
			return this.concat.invoke(args);
		}

	}

}
