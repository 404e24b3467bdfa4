package dev.webpipe.middleware.pg;

import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The SQL of one {@code pg} step, prepared once at load time: the {@code !raw} prefix, the
 * trailing {@code ;} removed, and whether the statement returns rows (middleware.md, pg, modes).
 *
 * @param sql the SQL as the step wrote it, trimmed, without {@code !raw} and trailing {@code ;}
 * (what errors report as {@code query})
 * @param mode how the statement runs
 * @param executed the text sent to the database (the row-returning wrapper around {@code sql}, or
 * {@code sql} itself)
 */
record PgSql(String sql, Mode mode, String executed) {

	enum Mode {

		/** The first column of the first row is the result value. */
		RAW,

		/** Wrapped so that PostgreSQL returns all rows as one JSON array. */
		ROWS,

		/** Executed as is; the result reports the rows affected. */
		COMMAND

	}

	private static final String RAW_PREFIX = "!raw";

	private static final Pattern ROW_KEYWORD = Pattern.compile("^(select|with|values|table)\\b");

	private static final Pattern RETURNING = Pattern.compile("\\breturning\\b");

	/** Parses a step's config string. Returns {@code null} when no SQL is left. */
	static @Nullable PgSql parse(String config) {
		String text = config.trim();
		boolean raw = text.startsWith(RAW_PREFIX);
		if (raw) {
			text = text.substring(RAW_PREFIX.length());
		}
		text = stripTrailingSemicolons(text.trim());
		if (text.isEmpty()) {
			return null;
		}
		if (raw) {
			return new PgSql(text, Mode.RAW, text);
		}
		if (returnsRows(text)) {
			// The SQL stands on lines of its own, so that a trailing -- comment cannot swallow the wrapper;
			// t.* rather than t, so that a column named t cannot hide the row.
			return new PgSql(text, Mode.ROWS, wrap(text));
		}
		return new PgSql(text, Mode.COMMAND, text);
	}

	/** The SQL of Lua's {@code executeSql}: always wrapped to return rows, whatever it starts with. */
	static PgSql rows(String sql) {
		String text = stripTrailingSemicolons(sql.trim());
		return new PgSql(text, Mode.ROWS, wrap(text));
	}

	/**
	 * {@code json_agg} of the rows themselves gives the JSON {@code row_to_json} of each row would, in fewer tokens:
	 * the driver tokenizes the text at every statement (docs/performance.md#fourth-profile).
	 */
	private static String wrap(String text) {
		return "WITH t AS (\n" + text + "\n) SELECT COALESCE(json_agg(t.*), '[]') FROM t";
	}

	static String stripTrailingSemicolons(String text) {
		String result = text;
		while (result.endsWith(";")) {
			result = result.substring(0, result.length() - 1).stripTrailing();
		}
		return result;
	}

	/**
	 * Whether the lower-cased SQL, after leading whitespace and comments, starts with
	 * {@code select}, {@code with}, {@code values} or {@code table}, or contains the word
	 * {@code returning}.
	 */
	static boolean returnsRows(String sql) {
		String lower = sql.toLowerCase(Locale.ROOT);
		String start = skipLeadingComments(lower);
		return ROW_KEYWORD.matcher(start).find() || RETURNING.matcher(lower).find();
	}

	private static String skipLeadingComments(String sql) {
		int i = 0;
		int length = sql.length();
		while (i < length) {
			char c = sql.charAt(i);
			if (Character.isWhitespace(c)) {
				i++;
			}
			else if (sql.startsWith("--", i)) {
				int newline = sql.indexOf('\n', i);
				i = (newline < 0) ? length : newline + 1;
			}
			else if (sql.startsWith("/*", i)) {
				i = skipBlockComment(sql, i);
			}
			else {
				break;
			}
		}
		return sql.substring(i);
	}

	/** PostgreSQL's block comments nest. */
	private static int skipBlockComment(String sql, int from) {
		int depth = 0;
		int i = from;
		while (i < sql.length()) {
			if (sql.startsWith("/*", i)) {
				depth++;
				i += 2;
			}
			else if (sql.startsWith("*/", i)) {
				depth--;
				i += 2;
				if (depth == 0) {
					return i;
				}
			}
			else {
				i++;
			}
		}
		return sql.length();
	}

}
