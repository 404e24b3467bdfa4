package dev.webpipe.runtime.jq;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.misc.OnigUtils;
import net.thisptr.jackson.jq.internal.misc.Preconditions;
import net.thisptr.jackson.jq.internal.misc.UnicodeUtils;
import net.thisptr.jackson.jq.path.Path;
import org.joni.Matcher;
import org.joni.Option;
import org.joni.Region;

/**
 * {@code _match_impl/3} and {@code _sub_impl/3}, the two native functions under every jq regex function ({@code test},
 * {@code match}, {@code capture}, {@code scan}, {@code split/2}, {@code splits}, {@code sub}, {@code gsub}), with the
 * results of jackson-jq 1.6.0's own, but searching with joni's interruptible matching bounded by the time left to the
 * evaluation, and passing a checkpoint at every match (docs/middleware/jq.md#budgets).
 */
final class RegexFunctions {

	private RegexFunctions() {
	}

	/** {@code _match_impl(re; flags; test)}: a boolean, or the array of match objects. */
	static final Function MATCH = new Function() {
		@Override
		public void apply(Scope scope, List<Expression> args, JsonNode in, Path ipath, PathOutput output,
				Version version) throws JsonQueryException {
			Preconditions.checkInputType("_match_impl/3", in, JsonNodeType.STRING);
			byte[] bytes = in.asText().getBytes(StandardCharsets.UTF_8);
			int[] index = UnicodeUtils.UTF8CharIndex(bytes);
			args.get(2).apply(scope, in, (test) -> {
				Preconditions.checkArgumentType("_match_impl/3", 3, test, JsonNodeType.BOOLEAN);
				args.get(1).apply(scope, in, (modifiers) -> {
					Preconditions.checkArgumentType("_match_impl/3", 2, modifiers, JsonNodeType.STRING,
							JsonNodeType.NULL);
					args.get(0).apply(scope, in, (regex) -> {
						Preconditions.checkArgumentType("_match_impl/3", 1, regex, JsonNodeType.STRING);
						OnigUtils.Pattern pattern = new OnigUtils.Pattern(regex.asText(),
								modifiers.isNull() ? null : modifiers.asText());
						output.emit(match(scope.getObjectMapper(), pattern, bytes, index, test.asBoolean()), null);
					});
				});
			});
		}
	};

	/** {@code _sub_impl(re; replacement; flags)}: the input with the matches replaced. */
	static final Function SUB = new Function() {
		@Override
		public void apply(Scope scope, List<Expression> args, JsonNode in, Path ipath, PathOutput output,
				Version version) throws JsonQueryException {
			Preconditions.checkInputType("_sub_impl/3", in, JsonNodeType.STRING);
			args.get(0).apply(scope, in, (regex) -> {
				Preconditions.checkArgumentType("_sub_impl/3", 1, regex, JsonNodeType.STRING);
				args.get(2).apply(scope, in, (flags) -> {
					Preconditions.checkArgumentType("_sub_impl/3", 3, flags, JsonNodeType.STRING);
					OnigUtils.Pattern pattern = new OnigUtils.Pattern(regex.asText(), flags.asText());
					List<JsonNode> pieces = pieces(scope.getObjectMapper(), pattern, in.asText());
					args.get(2).apply(scope, in,
							(ignored) -> replace(scope, new ArrayDeque<>(), output, pieces, args.get(1)));
				});
			});
		}
	};

	private static JsonNode match(ObjectMapper mapper, OnigUtils.Pattern pattern, byte[] bytes, int[] index,
			boolean test) throws JsonQueryException {
		Matcher matcher = pattern.regex.matcher(bytes);
		if (test) {
			return BooleanNode.valueOf(search(matcher, 0, bytes.length) >= 0);
		}
		ArrayNode result = mapper.createArrayNode();
		int start = 0;
		do {
			if (search(matcher, start, bytes.length) < 0) {
				break;
			}
			int begin = matcher.getBegin();
			int end = matcher.getEnd();
			ObjectNode found = result.addObject();
			found.put("offset", index[begin]);
			found.put("length", index[end] - index[begin]);
			found.put("string", new String(bytes, begin, end - begin, StandardCharsets.UTF_8));
			ArrayNode captures = found.putArray("captures");
			Region region = matcher.getRegion();
			if (region != null && end != begin) {
				for (int i = 1; i < region.getNumRegs(); i++) {
					ObjectNode capture = captures.addObject();
					int from = region.getBeg(i);
					if (from >= 0) {
						int to = region.getEnd(i);
						capture.put("offset", index[from]);
						capture.put("length", index[to] - index[from]);
						capture.put("string", new String(bytes, from, to - from, StandardCharsets.UTF_8));
					}
					else {
						capture.put("offset", -1);
						capture.put("length", 0);
						capture.putNull("string");
					}
					capture.put("name", pattern.names[i]);
				}
			}
			start = (end == start) ? start + 1 : end;
		}
		while (pattern.global && start != bytes.length);
		return result;
	}

	/** The text between matches and, for each match, the object of its named captures, in order. */
	private static List<JsonNode> pieces(ObjectMapper mapper, OnigUtils.Pattern pattern, String text)
			throws JsonQueryException {
		List<JsonNode> pieces = new ArrayList<>();
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		Matcher matcher = pattern.regex.matcher(bytes);
		int start = 0;
		do {
			if (search(matcher, start, bytes.length) < 0) {
				break;
			}
			pieces.add(TextNode.valueOf(new String(bytes, start, matcher.getBegin() - start, StandardCharsets.UTF_8)));
			ObjectNode captures = mapper.createObjectNode();
			Region region = matcher.getRegion();
			if (region != null) {
				for (int i = 1; i < region.getNumRegs(); i++) {
					String name = pattern.names[i];
					if (name == null) {
						continue;
					}
					int from = region.getBeg(i);
					captures.set(name, (from >= 0) ? TextNode
						.valueOf(new String(bytes, from, region.getEnd(i) - from, StandardCharsets.UTF_8))
							: NullNode.getInstance());
				}
			}
			pieces.add(captures);
			start = matcher.getEnd();
		}
		while (pattern.global && start != bytes.length);
		pieces.add(TextNode.valueOf(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8)));
		return pieces;
	}

	/** One output per combination of the replacement's outputs, the last match varying slowest. */
	private static void replace(Scope scope, ArrayDeque<String> stack, PathOutput output, List<JsonNode> pieces,
			Expression replacement) throws JsonQueryException {
		if (pieces.isEmpty()) {
			StringBuilder joined = new StringBuilder();
			for (Iterator<String> it = stack.iterator(); it.hasNext();) {
				joined.append(it.next());
			}
			output.emit(new TextNode(joined.toString()), null);
			return;
		}
		JsonNode last = pieces.get(pieces.size() - 1);
		List<JsonNode> rest = pieces.subList(0, pieces.size() - 1);
		if (last.isTextual()) {
			stack.push(last.textValue());
			replace(scope, stack, output, rest, replacement);
			stack.pop();
		}
		else {
			replacement.apply(scope, last, (value) -> {
				stack.push(value.asText());
				replace(scope, stack, output, rest, replacement);
				stack.pop();
			});
		}
	}

	/**
	 * One search, bounded by the time left to the evaluation: a match passes a checkpoint, a search that runs out of
	 * time (or whose thread is interrupted) ends the evaluation.
	 */
	private static int search(Matcher matcher, int start, int end) {
		long left = Checkpoints.nanosLeft();
		matcher.setTimeout(left);
		int found;
		try {
			found = matcher.searchInterruptible(start, end, Option.NONE);
		}
		catch (InterruptedException ex) {
			throw Checkpoints.interrupted(ex);
		}
		if (found >= 0) {
			Checkpoints.check();
		}
		return found;
	}

}
