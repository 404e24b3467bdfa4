package dev.webpipe.compile;

import java.util.List;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.webpipe.language.SourceFile;
import dev.webpipe.language.Span;
import dev.webpipe.language.TagExpr;
import dev.webpipe.runtime.Condition;
import dev.webpipe.middleware.Json;
import dev.webpipe.runtime.RequestContext;
import dev.webpipe.runtime.jq.JqCompileException;
import dev.webpipe.runtime.jq.JqProgram;
import dev.webpipe.runtime.jq.JqRuntimeException;

/**
 * Compiles a step's tag groups into a {@link Condition} (docs/runtime.md#tags) and extracts the
 * modifiers {@code @async}, {@code @result} and {@code @error}.
 */
final class TagCompiler {

	private static final Logger logger = LoggerFactory.getLogger("webpipe.guard");

	private final BiConsumer<Span, String> errors;

	TagCompiler(BiConsumer<Span, String> errors) {
		this.errors = errors;
	}

	/**
	 * The compiled tags of a step.
	 *
	 * @param condition when the step runs
	 * @param asyncTask the {@code @async} task name, or {@code null}
	 * @param resultName the {@code @result} name, or {@code null}
	 * @param errorName the {@code @error} name, or {@code null}
	 */
	record Compiled(Condition condition, @Nullable String asyncTask, @Nullable Span asyncSpan,
			@Nullable String resultName, @Nullable Span resultSpan, @Nullable String errorName) {
	}

	Compiled compile(List<TagExpr> groups, SourceFile source) {
		Condition condition = Condition.ALWAYS;
		String async = null;
		Span asyncSpan = null;
		String result = null;
		Span resultSpan = null;
		String error = null;
		for (TagExpr group : groups) {
			if (group instanceof TagExpr.Tag tag && !tag.args().isEmpty()) {
				String name = tag.name().text();
				String arg = tag.args().get(0).text();
				if (name.equals("async")) {
					async = arg;
					asyncSpan = tag.span();
					continue;
				}
				if (name.equals("result")) {
					result = arg;
					resultSpan = tag.span();
					continue;
				}
				if (name.equals("error")) {
					error = arg;
					continue;
				}
			}
			condition = condition.and(condition(group, source));
		}
		return new Compiled(condition, async, asyncSpan, result, resultSpan, error);
	}

	/** The condition of one tag expression (also used for {@code case} expressions). */
	Condition condition(TagExpr expr, SourceFile source) {
		if (expr instanceof TagExpr.Group group) {
			return condition(group.inner(), source);
		}
		if (expr instanceof TagExpr.And and) {
			Condition result = Condition.ALWAYS;
			for (TagExpr operand : and.operands()) {
				result = result.and(condition(operand, source));
			}
			return result;
		}
		if (expr instanceof TagExpr.Or or) {
			Condition result = null;
			for (TagExpr operand : or.operands()) {
				Condition next = condition(operand, source);
				result = (result == null) ? next : result.or(next);
			}
			return (result != null) ? result : Condition.ALWAYS;
		}
		return tag((TagExpr.Tag) expr, source);
	}

	private Condition tag(TagExpr.Tag tag, SourceFile source) {
		boolean negated = tag.negated();
		List<String> names = tag.args().stream().map(TagExpr.TagArg::text).toList();
		switch (tag.name().text()) {
			case "env": {
				String env = names.isEmpty() ? "" : names.get(0);
				return negated ? (state, context) -> !context.envMatches(env)
						: (state, context) -> context.envMatches(env);
			}
			case "flag":
				return negated ? (state, context) -> none(names, context, true)
						: (state, context) -> all(names, context, true);
			case "when":
				return negated ? (state, context) -> none(names, context, false)
						: (state, context) -> all(names, context, false);
			case "guard":
				return guard(tag, negated, source);
			default:
				return Condition.ALWAYS;
		}
	}

	private Condition guard(TagExpr.Tag tag, boolean negated, SourceFile source) {
		if (tag.args().isEmpty()) {
			return Condition.ALWAYS;
		}
		TagExpr.TagArg arg = tag.args().get(0);
		JqProgram program;
		try {
			program = JqProgram.compile(arg.text());
		}
		catch (JqCompileException ex) {
			this.errors.accept(ex.offset().isPresent() ? arg.positionOf(ex.offset().getAsInt()) : arg.span(),
					"jq compile error: " + ex.detail());
			return Condition.ALWAYS;
		}
		String where = source.name() + ":" + tag.span().line();
		return (state, context) -> {
			try {
				boolean truthy = Json.isTruthy(program.apply(state, context.contextJson()));
				return negated != truthy;
			}
			catch (JqRuntimeException ex) {
				logger.warn("@guard at {} failed, the step is skipped: {}", where, ex.getMessage());
				return false;
			}
		};
	}

	private static boolean all(List<String> names, RequestContext context, boolean flags) {
		for (String name : names) {
			if (!(flags ? context.flag(name) : context.condition(name))) {
				return false;
			}
		}
		return true;
	}

	private static boolean none(List<String> names, RequestContext context, boolean flags) {
		for (String name : names) {
			if (flags ? context.flag(name) : context.condition(name)) {
				return false;
			}
		}
		return true;
	}

	static boolean truthy(JsonNode value) {
		return Json.isTruthy(value);
	}

}
