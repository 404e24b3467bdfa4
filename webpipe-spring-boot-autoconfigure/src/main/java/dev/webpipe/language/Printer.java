package dev.webpipe.language;

import java.util.List;
import java.util.stream.Collectors;

import dev.webpipe.language.TestItem.Assertion;
import dev.webpipe.language.TestItem.When;
import dev.webpipe.language.TopItem.ConfigValue;

/**
 * Prints syntax tree nodes back as {@code .wp} source that parses to the same tree.
 * <p>
 * The output is canonical: top-level items separated by a blank line, steps indented by two
 * spaces per level, every step on its own line, branch labels on their own line one level
 * deeper than their block, {@code end} aligned with the {@code |>} of its block.
 */
final class Printer {

	private static final String INDENT = "  ";

	private Printer() {
	}

	static String print(Node node) {
		if (node instanceof Document document) {
			return document(document);
		}
		if (node instanceof TopItem item) {
			return topItem(item);
		}
		if (node instanceof Pipeline pipeline) {
			return body(pipeline, 0).stripLeading();
		}
		if (node instanceof Step step) {
			return step(step, 0);
		}
		if (node instanceof Step.Branch branch) {
			return branch(branch, 0);
		}
		if (node instanceof Step.Case branch) {
			return caseBranch(branch, 0);
		}
		if (node instanceof Step.Selector selector) {
			return selector.text();
		}
		if (node instanceof TagExpr expr) {
			return tagExpr(expr);
		}
		if (node instanceof TagExpr.TagArg arg) {
			return tagArg(arg);
		}
		if (node instanceof InlineArgs args) {
			return "(" + args.raw() + ")";
		}
		if (node instanceof InlineArgs.Arg arg) {
			return arg.text();
		}
		if (node instanceof StepConfig config) {
			return config(config);
		}
		if (node instanceof Name name) {
			return name.text();
		}
		if (node instanceof TopItem.Path path) {
			return path.text();
		}
		if (node instanceof TopItem.ConfigProperty property) {
			return property(property);
		}
		if (node instanceof ConfigValue value) {
			return configValue(value);
		}
		if (node instanceof TestItem item) {
			return testItem(item, 0);
		}
		if (node instanceof TestItem.MockTarget target) {
			return mockTarget(target);
		}
		if (node instanceof When when) {
			return when(when);
		}
		if (node instanceof TestItem.Value value) {
			return value(value);
		}
		if (node instanceof Assertion assertion) {
			return assertion(assertion);
		}
		throw new IllegalArgumentException("cannot print " + node.getClass().getName());
	}

	// ---------------------------------------------------------------- top level

	private static String document(Document document) {
		if (document.items().isEmpty()) {
			return "";
		}
		return document.items().stream().map(Printer::topItem).collect(Collectors.joining("\n\n")) + "\n";
	}

	private static String topItem(TopItem item) {
		if (item instanceof TopItem.ConfigBlock block) {
			StringBuilder out = new StringBuilder("config ").append(block.name().text()).append(" {\n");
			for (TopItem.ConfigProperty property : block.properties()) {
				out.append(INDENT).append(property(property)).append('\n');
			}
			return out.append('}').toString();
		}
		if (item instanceof TopItem.Import imported) {
			return "import " + string(imported.path()) + " as " + imported.alias().text();
		}
		if (item instanceof TopItem.FeatureFlags flags) {
			return (flags.pipelineKeyword() ? "pipeline featureFlags =" : "featureFlags =") + body(flags.body(), 1);
		}
		if (item instanceof TopItem.GraphqlSchema schema) {
			return "graphqlSchema = " + string(schema.schema());
		}
		if (item instanceof TopItem.OperationResolver resolver) {
			return resolver.operation().keyword() + " " + resolver.name().text() + " =" + body(resolver.body(), 1);
		}
		if (item instanceof TopItem.TypeResolver resolver) {
			return "resolver " + resolver.type().text() + "." + resolver.field().text() + " ="
					+ body(resolver.body(), 1);
		}
		if (item instanceof TopItem.NamedPipeline pipeline) {
			return "pipeline " + pipeline.name().text() + " =" + body(pipeline.body(), 1);
		}
		if (item instanceof TopItem.Variable variable) {
			return variable.type().text() + " " + variable.name().text() + " = " + string(variable.value());
		}
		if (item instanceof TopItem.Route route) {
			return route.method().text() + " " + route.path().text() + body(route.body(), 1);
		}
		if (item instanceof TopItem.Describe describe) {
			StringBuilder out = new StringBuilder("describe ").append(string(describe.name()));
			for (TestItem test : describe.items()) {
				if (test instanceof TestItem.It) {
					out.append('\n');
				}
				out.append('\n').append(indent(1)).append(testItem(test, 1));
			}
			return out.toString();
		}
		throw new IllegalArgumentException("cannot print " + item.getClass().getName());
	}

	private static String property(TopItem.ConfigProperty property) {
		return property.key().text() + ": " + configValue(property.value());
	}

	private static String configValue(ConfigValue value) {
		if (value instanceof ConfigValue.EnvRef env) {
			return "$" + env.name().text() + env.fallback().map(literal -> " || " + configValue(literal)).orElse("");
		}
		ConfigValue.Literal literal = (ConfigValue.Literal) value;
		return (literal.kind() == ConfigValue.LiteralKind.STRING) ? "\"" + literal.text() + "\"" : literal.text();
	}

	// ---------------------------------------------------------------- steps

	/**
	 * Each step on a new line at {@code level}; empty for an empty body. A tree nested deeper than
	 * the parser accepts (docs/language.md#nesting) could not be read back, and is refused.
	 */
	private static String body(Pipeline body, int level) {
		if (level > 2 * SyntaxReader.MAX_NESTING + 1) {
			throw new IllegalArgumentException("blocks nested too deeply to print: at most "
					+ SyntaxReader.MAX_NESTING + " levels");
		}
		StringBuilder out = new StringBuilder();
		for (Step step : body.steps()) {
			out.append('\n').append(indent(level)).append(step(step, level));
		}
		return out.toString();
	}

	private static String step(Step step, int level) {
		if (step instanceof Step.Regular regular) {
			StringBuilder out = new StringBuilder("|> ").append(regular.name().text());
			regular.args().ifPresent(args -> out.append('(').append(args.raw()).append(')'));
			regular.config().ifPresent(config -> out.append(": ").append(config(config)));
			for (TagExpr tag : regular.tags()) {
				out.append(' ').append(tagExpr(tag));
			}
			return out.toString();
		}
		if (step instanceof Step.Result result) {
			StringBuilder out = new StringBuilder("|> result");
			for (Step.Branch branch : result.branches()) {
				out.append('\n').append(indent(level + 1)).append(branch(branch, level + 1));
			}
			return out.toString();
		}
		if (step instanceof Step.If conditional) {
			StringBuilder out = new StringBuilder("|> if").append(body(conditional.condition(), level + 1));
			out.append('\n').append(indent(level)).append("then:").append(body(conditional.then(), level + 1));
			conditional.otherwise()
				.ifPresent(otherwise -> out.append('\n')
					.append(indent(level))
					.append("else:")
					.append(body(otherwise, level + 1)));
			if (conditional.closed()) {
				out.append('\n').append(indent(level)).append("end");
			}
			return out.toString();
		}
		if (step instanceof Step.Dispatch dispatch) {
			StringBuilder out = new StringBuilder("|> dispatch");
			for (Step.Case branch : dispatch.cases()) {
				out.append('\n').append(indent(level + 1)).append(caseBranch(branch, level + 1));
			}
			dispatch.otherwise()
				.ifPresent(otherwise -> out.append('\n')
					.append(indent(level + 1))
					.append("default:")
					.append(body(otherwise, level + 2)));
			if (dispatch.closed()) {
				out.append('\n').append(indent(level)).append("end");
			}
			return out.toString();
		}
		Step.Foreach foreach = (Step.Foreach) step;
		return "|> foreach " + foreach.selector().text() + body(foreach.body(), level + 1) + "\n" + indent(level)
				+ "end";
	}

	private static String branch(Step.Branch branch, int level) {
		return branch.type().text() + "(" + branch.status() + "):" + body(branch.body(), level + 1);
	}

	private static String caseBranch(Step.Case branch, int level) {
		return "case " + tagExpr(branch.condition()) + ":" + body(branch.body(), level + 1);
	}

	private static String config(StepConfig config) {
		if (config instanceof StringLit lit) {
			return string(lit);
		}
		return ((StepConfig.Reference) config).text();
	}

	// ---------------------------------------------------------------- tags

	private static String tagExpr(TagExpr expr) {
		if (expr instanceof TagExpr.Tag tag) {
			StringBuilder out = new StringBuilder("@");
			if (tag.negated()) {
				out.append('!');
			}
			out.append(tag.name().text());
			if (!tag.args().isEmpty()) {
				out.append(tag.args().stream().map(Printer::tagArg).collect(Collectors.joining(", ", "(", ")")));
			}
			return out.toString();
		}
		if (expr instanceof TagExpr.And and) {
			return operands(and.operands(), " and ", true);
		}
		if (expr instanceof TagExpr.Or or) {
			return operands(or.operands(), " or ", false);
		}
		return "(" + tagExpr(((TagExpr.Group) expr).inner()) + ")";
	}

	private static String operands(List<TagExpr> operands, String separator, boolean wrapOr) {
		return operands.stream()
			.map(operand -> (wrapOr && operand instanceof TagExpr.Or) ? "(" + tagExpr(operand) + ")" : tagExpr(operand))
			.collect(Collectors.joining(separator));
	}

	private static String tagArg(TagExpr.TagArg arg) {
		return arg.backtick() ? "`" + arg.text() + "`" : arg.text();
	}

	// ---------------------------------------------------------------- tests

	private static String testItem(TestItem item, int level) {
		if (item instanceof TestItem.Let let) {
			return "let " + let.name().text() + " = " + value(let.value());
		}
		if (item instanceof TestItem.Mock mock) {
			return "with mock " + mockTarget(mock.target()) + " returning " + string(mock.returning());
		}
		if (item instanceof TestItem.With with) {
			return "with " + with.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + string(with.value());
		}
		if (item instanceof TestItem.It it) {
			StringBuilder out = new StringBuilder("it ").append(string(it.name()));
			String inner = "\n" + indent(level + 1);
			for (TestItem setup : it.setup()) {
				out.append(inner).append(testItem(setup, level + 1));
			}
			out.append(inner).append(when(it.when()));
			for (TestItem input : it.inputs()) {
				out.append(inner).append(testItem(input, level + 1));
			}
			boolean first = true;
			for (Assertion assertion : it.assertions()) {
				out.append(inner).append(first ? "then " : "and ").append(assertion(assertion));
				first = false;
			}
			return out.toString();
		}
		throw new IllegalArgumentException("cannot print " + item.getClass().getName());
	}

	private static String mockTarget(TestItem.MockTarget target) {
		String kind = target.kind().text();
		if (target.name().isEmpty()) {
			return kind;
		}
		boolean spaced = kind.equals("pipeline") || kind.equals("query") || kind.equals("mutation");
		return kind + (spaced ? " " : ".") + target.name().get().text();
	}

	private static String when(When when) {
		if (when instanceof When.Calling calling) {
			return "when calling " + calling.method().text() + " " + calling.target();
		}
		if (when instanceof When.ExecutingPipeline pipeline) {
			return "when executing pipeline " + pipeline.pipeline().text();
		}
		When.ExecutingVariable variable = (When.ExecutingVariable) when;
		return "when executing variable " + variable.type().text() + " " + variable.name().text();
	}

	private static String assertion(Assertion assertion) {
		if (assertion instanceof Assertion.Status status) {
			return status.range() ? "status in " + status.from() + ".." + status.to() : "status is " + status.from();
		}
		if (assertion instanceof Assertion.ContentType type) {
			return "contentType is \"" + type.type() + "\"";
		}
		if (assertion instanceof Assertion.Output output) {
			return "output" + output.jq().map(jq -> " " + string(jq)).orElse("") + " " + op(output.op()) + " "
					+ value(output.value());
		}
		if (assertion instanceof Assertion.Header header) {
			return "header " + string(header.name()) + " " + op(header.op()) + " " + value(header.value());
		}
		if (assertion instanceof Assertion.Selector selector) {
			StringBuilder out = new StringBuilder("selector ").append(string(selector.selector())).append(' ');
			switch (selector.check()) {
				case EXISTS -> out.append("exists");
				case NOT_EXISTS -> out.append("does not exist");
				case TEXT -> out.append("text");
				case COUNT -> out.append("count");
				case ATTRIBUTE -> out.append("attribute ").append(string(selector.attribute().orElseThrow()));
			}
			selector.operator().ifPresent(operator -> out.append(' ').append(operator));
			selector.value().ifPresent(value -> out.append(' ').append(value(value)));
			return out.toString();
		}
		Assertion.Call call = (Assertion.Call) assertion;
		return "call " + call.kind().text() + " " + call.name().text() + " with " + value(call.value());
	}

	private static String op(Assertion.Op op) {
		return op.name().toLowerCase(java.util.Locale.ROOT);
	}

	private static String value(TestItem.Value value) {
		return switch (value.kind()) {
			case BACKTICK -> value.text().contains("`") ? "```" + value.text() + "```" : "`" + value.text() + "`";
			case QUOTED -> "\"" + value.text() + "\"";
			case VARIABLE -> "$" + value.text();
			case RAW -> value.text();
		};
	}

	// ---------------------------------------------------------------- lexical

	private static String string(StringLit lit) {
		return switch (lit.kind()) {
			case BACKTICK -> "`" + lit.content() + "`";
			case QUOTED -> "\"" + lit.content() + "\"";
			case FENCED -> "```" + lit.content() + "```";
		};
	}

	private static String indent(int level) {
		return INDENT.repeat(level);
	}

}
