package dev.webpipe.middleware.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Lua 5.2 pattern matching (the manual's section 6.4.1: classes, sets, {@code *}, {@code +}, {@code -}, {@code ?},
 * anchors, captures, position captures, back references, {@code %b} and {@code %f}) that checks the execution's
 * budget as it backtracks (docs/middleware/lua.md#budgets). LuaJ's own matcher runs no hook, so a pattern such as
 * {@code ("a*"):rep(24) .. "b"} would hold its thread for ever.
 * <p>
 * Positions are indexes into the byte arrays of the subject and the pattern; {@code -1} is "no match".
 */
final class LuaPatterns {

	private static final int MAX_CAPTURES = 32;

	private static final int MAX_CALLS = 200;

	private static final int CAP_UNFINISHED = -1;

	private static final int CAP_POSITION = -2;

	private static final int ESC = '%';

	private static final String SPECIALS = "^$*+?.([%-";

	/** The budget is looked at every this many steps of the matcher. */
	private static final int CHECK_EVERY = 1024;

	private final LuaExecutions.Budget budget;

	private final byte[] sb;

	private final int s0;

	private final int send;

	private final byte[] pb;

	private final int p0;

	private final int pend;

	private int level;

	private int depth;

	private int steps;

	private final int[] captureInit = new int[MAX_CAPTURES];

	private final int[] captureLen = new int[MAX_CAPTURES];

	LuaPatterns(LuaString subject, LuaString pattern, LuaExecutions.Budget budget) {
		this.budget = budget;
		this.sb = subject.m_bytes;
		this.s0 = subject.m_offset;
		this.send = subject.m_offset + subject.m_length;
		this.pb = pattern.m_bytes;
		this.p0 = pattern.m_offset;
		this.pend = pattern.m_offset + pattern.m_length;
	}

	/** Whether {@code pattern} has none of the magic characters, so a plain search does. */
	static boolean isPlain(LuaString pattern) {
		for (int i = 0; i < pattern.m_length; i++) {
			if (SPECIALS.indexOf(pattern.m_bytes[pattern.m_offset + i]) >= 0) {
				return false;
			}
		}
		return true;
	}

	/** Where the pattern starts, after its anchor. */
	int patternStart() {
		return isAnchored() ? this.p0 + 1 : this.p0;
	}

	/** Where the pattern starts, a leading '^' included ({@code gmatch} takes it literally, as Lua 5.2 does). */
	int patternBegin() {
		return this.p0;
	}

	boolean isAnchored() {
		return this.pend > this.p0 && this.pb[this.p0] == '^';
	}

	/** The subject position {@code index} (0-based) as an index into its bytes. */
	int at(int index) {
		return this.s0 + index;
	}

	/** The 0-based position of subject index {@code s}. */
	int position(int s) {
		return s - this.s0;
	}

	/** The bytes of the subject (positions are indexes into it). */
	byte[] subject() {
		return this.sb;
	}

	/** Matches the pattern from {@code p} at subject index {@code s}: the end of the match, or -1. */
	int match(int s, int p) {
		this.level = 0;
		this.depth = MAX_CALLS;
		return doMatch(s, p);
	}

	private void step() {
		if (++this.steps >= CHECK_EVERY) {
			this.steps = 0;
			if (this.budget != null) {
				this.budget.check();
			}
		}
	}

	private int doMatch(int s, int p) {
		if (this.depth-- == 0) {
			throw new LuaError("pattern too complex");
		}
		step();
		try {
			while (true) {
				if (p == this.pend) {
					return s;
				}
				switch (this.pb[p]) {
					case '(':
						if (p + 1 < this.pend && this.pb[p + 1] == ')') {
							return startCapture(s, p + 2, CAP_POSITION);
						}
						return startCapture(s, p + 1, CAP_UNFINISHED);
					case ')':
						return endCapture(s, p + 1);
					case '$':
						if (p + 1 == this.pend) {
							return (s == this.send) ? s : -1;
						}
						break;
					case ESC:
						if (p + 1 < this.pend) {
							byte next = this.pb[p + 1];
							if (next == 'b') {
								s = matchBalance(s, p + 2);
								if (s == -1) {
									return -1;
								}
								p += 4;
								continue;
							}
							if (next == 'f') {
								p += 2;
								if (p >= this.pend || this.pb[p] != '[') {
									throw new LuaError("missing '[' after '%f' in pattern");
								}
								int ep = classEnd(p);
								int previous = (s == this.s0) ? 0 : (this.sb[s - 1] & 0xff);
								int current = (s < this.send) ? (this.sb[s] & 0xff) : 0;
								if (!matchBracketClass(previous, p, ep - 1) && matchBracketClass(current, p, ep - 1)) {
									p = ep;
									continue;
								}
								return -1;
							}
							if (next >= '0' && next <= '9') {
								s = matchCapture(s, next);
								if (s == -1) {
									return -1;
								}
								p += 2;
								continue;
							}
						}
						break;
					default:
						break;
				}
				int ep = classEnd(p);
				int suffix = (ep < this.pend) ? this.pb[ep] : 0;
				if (!singleMatch(s, p, ep)) {
					if (suffix == '*' || suffix == '?' || suffix == '-') {
						p = ep + 1;
						continue;
					}
					return -1;
				}
				switch (suffix) {
					case '?': {
						int result = doMatch(s + 1, ep + 1);
						if (result != -1) {
							return result;
						}
						p = ep + 1;
						continue;
					}
					case '+':
						return maxExpand(s + 1, p, ep);
					case '*':
						return maxExpand(s, p, ep);
					case '-':
						return minExpand(s, p, ep);
					default:
						s++;
						p = ep;
				}
			}
		}
		finally {
			this.depth++;
		}
	}

	private int maxExpand(int s, int p, int ep) {
		int i = 0;
		while (singleMatch(s + i, p, ep)) {
			i++;
		}
		while (i >= 0) {
			step();
			int result = doMatch(s + i, ep + 1);
			if (result != -1) {
				return result;
			}
			i--;
		}
		return -1;
	}

	private int minExpand(int s, int p, int ep) {
		while (true) {
			step();
			int result = doMatch(s, ep + 1);
			if (result != -1) {
				return result;
			}
			if (singleMatch(s, p, ep)) {
				s++;
			}
			else {
				return -1;
			}
		}
	}

	private int startCapture(int s, int p, int what) {
		if (this.level >= MAX_CAPTURES) {
			throw new LuaError("too many captures");
		}
		this.captureInit[this.level] = s;
		this.captureLen[this.level] = what;
		this.level++;
		int result = doMatch(s, p);
		if (result == -1) {
			this.level--;
		}
		return result;
	}

	private int endCapture(int s, int p) {
		int l = captureToClose();
		this.captureLen[l] = s - this.captureInit[l];
		int result = doMatch(s, p);
		if (result == -1) {
			this.captureLen[l] = CAP_UNFINISHED;
		}
		return result;
	}

	private int captureToClose() {
		for (int l = this.level - 1; l >= 0; l--) {
			if (this.captureLen[l] == CAP_UNFINISHED) {
				return l;
			}
		}
		throw new LuaError("invalid pattern capture");
	}

	private int matchBalance(int s, int p) {
		if (p + 1 >= this.pend) {
			throw new LuaError("malformed pattern (missing arguments to '%b')");
		}
		if (s >= this.send || this.sb[s] != this.pb[p]) {
			return -1;
		}
		byte open = this.pb[p];
		byte close = this.pb[p + 1];
		int count = 1;
		while (++s < this.send) {
			if (this.sb[s] == close) {
				if (--count == 0) {
					return s + 1;
				}
			}
			else if (this.sb[s] == open) {
				count++;
			}
		}
		return -1;
	}

	private int matchCapture(int s, int digit) {
		int l = checkCapture(digit);
		int length = this.captureLen[l];
		if (this.send - s >= length) {
			int from = this.captureInit[l];
			for (int i = 0; i < length; i++) {
				if (this.sb[from + i] != this.sb[s + i]) {
					return -1;
				}
			}
			return s + length;
		}
		return -1;
	}

	private int checkCapture(int digit) {
		int l = digit - '1';
		if (l < 0 || l >= this.level || this.captureLen[l] == CAP_UNFINISHED) {
			throw new LuaError("invalid capture index %" + (l + 1));
		}
		return l;
	}

	private int classEnd(int p) {
		int c = this.pb[p++];
		if (c == ESC) {
			if (p >= this.pend) {
				throw new LuaError("malformed pattern (ends with '%')");
			}
			return p + 1;
		}
		if (c == '[') {
			if (p < this.pend && this.pb[p] == '^') {
				p++;
			}
			do {
				if (p >= this.pend) {
					throw new LuaError("malformed pattern (missing ']')");
				}
				c = this.pb[p++];
				if (c == ESC && p < this.pend) {
					p++;
				}
			}
			while (p >= this.pend || this.pb[p] != ']');
			return p + 1;
		}
		return p;
	}

	private boolean singleMatch(int s, int p, int ep) {
		if (s >= this.send) {
			return false;
		}
		int c = this.sb[s] & 0xff;
		switch (this.pb[p]) {
			case '.':
				return true;
			case ESC:
				return matchClass(c, this.pb[p + 1] & 0xff);
			case '[':
				return matchBracketClass(c, p, ep - 1);
			default:
				return (this.pb[p] & 0xff) == c;
		}
	}

	/** A set {@code [...]} from {@code p} (its '[') to {@code ec} (its ']'). */
	private boolean matchBracketClass(int c, int p, int ec) {
		boolean sig = true;
		if (this.pb[p + 1] == '^') {
			sig = false;
			p++;
		}
		while (++p < ec) {
			if (this.pb[p] == ESC) {
				p++;
				if (matchClass(c, this.pb[p] & 0xff)) {
					return sig;
				}
			}
			else if (this.pb[p + 1] == '-' && p + 2 < ec) {
				p += 2;
				if ((this.pb[p - 2] & 0xff) <= c && c <= (this.pb[p] & 0xff)) {
					return sig;
				}
			}
			else if ((this.pb[p] & 0xff) == c) {
				return sig;
			}
		}
		return !sig;
	}

	/** {@code %a}, {@code %d}, ... in the C locale; an upper-case class is the complement. */
	static boolean matchClass(int c, int cl) {
		boolean result;
		switch (Character.toLowerCase(cl)) {
			case 'a' -> result = isAlpha(c);
			case 'c' -> result = c < 32 || c == 127;
			case 'd' -> result = c >= '0' && c <= '9';
			case 'g' -> result = c > 32 && c < 127;
			case 'l' -> result = c >= 'a' && c <= 'z';
			case 'p' -> result = c > 32 && c < 127 && !isAlpha(c) && !(c >= '0' && c <= '9');
			case 's' -> result = c == ' ' || (c >= 9 && c <= 13);
			case 'u' -> result = c >= 'A' && c <= 'Z';
			case 'w' -> result = isAlpha(c) || (c >= '0' && c <= '9');
			case 'x' -> result = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
			default -> {
				return cl == c;
			}
		}
		return (cl >= 'A' && cl <= 'Z') ? !result : result;
	}

	private static boolean isAlpha(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}

	/** Capture {@code i} of the match from {@code s} to {@code e}. */
	LuaValue capture(int i, int s, int e) {
		if (i >= this.level) {
			if (i == 0) {
				return LuaString.valueOf(this.sb, s, e - s);
			}
			throw new LuaError("invalid capture index");
		}
		int length = this.captureLen[i];
		if (length == CAP_UNFINISHED) {
			throw new LuaError("unfinished capture");
		}
		if (length == CAP_POSITION) {
			return LuaValue.valueOf(this.captureInit[i] - this.s0 + 1);
		}
		return LuaString.valueOf(this.sb, this.captureInit[i], length);
	}

	/** The captures of the match from {@code s} to {@code e}; the whole match when there is none and asked. */
	Varargs captures(boolean wholeIfNone, int s, int e) {
		int count = (this.level == 0 && wholeIfNone) ? 1 : this.level;
		if (count == 0) {
			return LuaValue.NONE;
		}
		if (count == 1) {
			return capture(0, s, e);
		}
		LuaValue[] values = new LuaValue[count];
		for (int i = 0; i < count; i++) {
			values[i] = capture(i, s, e);
		}
		return LuaValue.varargsOf(values);
	}

	/** The number of captures of the last match. */
	int level() {
		return this.level;
	}

}
