package dev.webpipe.runtime.jq;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Output;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.IsolatedScopeQuery;
import net.thisptr.jackson.jq.internal.javacc.ExpressionParser;
import org.jspecify.annotations.Nullable;

import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Json;

/**
 * A jq program compiled once with jackson-jq 1.6.0 (dialect {@code Versions.JQ_1_6}) and applied many times.
 * <p>
 * The builtin functions are loaded once per JVM into a shared root scope, where {@code $ENV} (an object of the
 * process environment) is also bound. Each {@link #apply} runs in its own child scope that binds
 * {@code $context}, so one instance can be shared by all requests (it is thread-safe).
 * <p>
 * Only the first value the program emits is used. Evaluation stops when the program produces a second one (or
 * ends), not at the first: stopping means unwinding the evaluation with an exception, which costs several times
 * a small program's evaluation, and most programs emit exactly one value. So a program that emits several values
 * runs until its second; one that fails or recurses too deep after its first value still gives that value.
 * <p>
 * Every evaluation has a budget ({@link JqLimits}) checked at checkpoints ({@link Checkpoints}); a program is
 * {@linkplain #isExpensive() expensive} when it can repeat work beyond the size of its input, which its step uses to
 * run it off the event loop (docs/middleware/jq.md#budgets).
 */
public final class JqProgram {

	private final String source;

	private final Expression query;

	private final boolean expensive;

	private JqProgram(String source, Expression query, boolean expensive) {
		this.source = source;
		this.query = query;
		this.expensive = expensive;
	}

	/**
	 * Compiles a jq program. Costly (hundreds of times an {@link #apply}): do it once, at load time.
	 * @throws JqCompileException when jackson-jq rejects the program
	 */
	public static JqProgram compile(String source) throws JqCompileException {
		Objects.requireNonNull(source, "source");
		try {
			// what JsonQuery.compile does, keeping the tree to put the checkpoints in
			Expression query = new IsolatedScopeQuery(ExpressionParser.compile(source, Versions.JQ_1_6));
			return new JqProgram(source, query, Checkpoints.instrument(query));
		}
		catch (JsonQueryException | RuntimeException | StackOverflowError ex) {
			throw CompileErrors.translate(source, ex);
		}
	}

	/**
	 * Loads jq's builtin functions (a second or more), which compiling does not need: an application does it at
	 * start-up rather than during its first request; the check before start-up does not
	 * (docs/configuration.md#early-check).
	 */
	public static void loadBuiltins() {
		RootScope.get();
	}

	/** The jq source this program was compiled from. */
	public String source() {
		return this.source;
	}

	/**
	 * {@code .query.<name>}, {@code .query?.<name>} or {@code .query["<name>"]} where {@code .query} is a path
	 * of its own (not {@code .data.query}, {@code $x.query} or {@code (…).query}).
	 */
	private static final Pattern QUERY_READ = Pattern.compile(
			"(?<![A-Za-z0-9_$)\\]\"?.])\\.query\\??\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*\"([^\"\\\\]+)\"\\s*])");

	/**
	 * The names of the query parameters the program reads from the request state ({@code .query.<name>}), found in
	 * its source, best effort: a read through a variable or a computed key is not found
	 * (docs/openapi.md#what-is-inferred).
	 */
	public Set<String> queryParameters() {
		Set<String> names = new LinkedHashSet<>();
		Matcher matcher = QUERY_READ.matcher(this.source);
		while (matcher.find()) {
			names.add((matcher.group(1) != null) ? matcher.group(1) : matcher.group(2));
		}
		return names;
	}

	/**
	 * Whether the program can repeat work beyond the size of its input: it uses generators ({@code range},
	 * {@code limit}, {@code recurse}, ...), regex functions, {@code reduce}/{@code foreach}, functions of its own,
	 * {@code ..} or {@code *} (string repetition). Programs that only construct values, follow paths and call
	 * functions whose cost is bounded by their input are not.
	 */
	public boolean isExpensive() {
		return this.expensive;
	}

	/**
	 * Runs the program on {@code input} with {@code $context} bound to {@code context}, within the default budget.
	 * @param input the value of {@code .}
	 * @param context the value of {@code $context}; {@code null} binds JSON {@code null}
	 * @return the first value emitted, normalised with {@link Json#normalize}; {@code null} (JSON) when the program
	 * emits nothing
	 * @throws JqRuntimeException when the program fails before emitting a value, or exceeds the budget
	 */
	public JsonNode apply(JsonNode input, @Nullable JsonNode context) throws JqRuntimeException {
		return apply(input, context, JqLimits.DEFAULT, null);
	}

	/**
	 * Runs the program on {@code input} with {@code $context} bound to {@code context}.
	 * @param input the value of {@code .}
	 * @param context the value of {@code $context}; {@code null} binds JSON {@code null}
	 * @param limits the budget of this evaluation
	 * @param cancelled set to stop the evaluation at its next checkpoint (the request or task went away), or
	 * {@code null}
	 * @return the first value emitted, normalised with {@link Json#normalize}; {@code null} (JSON) when the program
	 * emits nothing
	 * @throws JqRuntimeException when the program fails before emitting a value, exceeds the budget or is cancelled
	 */
	public JsonNode apply(JsonNode input, @Nullable JsonNode context, JqLimits limits,
			@Nullable AtomicBoolean cancelled)
			throws JqRuntimeException {
		Scope scope = Scope.newChildScope(RootScope.get());
		scope.setValue("context", (context != null) ? context : NullNode.getInstance());
		FirstOutput output = new FirstOutput();
		Checkpoints.Evaluation evaluation = Checkpoints.begin(limits, cancelled);
		try {
			this.query.apply(scope, (input != null) ? input : NullNode.getInstance(), output);
		}
		catch (FirstOutput.Stop stop) {
			// a second value was produced: the first is the result
		}
		catch (Checkpoints.BudgetExceeded ex) {
			throw new JqRuntimeException(ex.detail(), null);
		}
		catch (OutOfMemoryError ex) {
			// best effort (docs/middleware/jq.md#budgets): the values of this evaluation are garbage now
			output.value = null;
			throw new JqRuntimeException("out of memory", null);
		}
		catch (JsonQueryException | RuntimeException ex) {
			if (output.value == null) {
				throw new JqRuntimeException(Errors.plainMessage(ex), ex);
			}
		}
		catch (StackOverflowError ex) {
			if (output.value == null) {
				throw new JqRuntimeException("recursion too deep", null);
			}
		}
		finally {
			Checkpoints.end(evaluation);
		}
		return (output.value != null) ? Json.normalize(output.value) : NullNode.getInstance();
	}

	@Override
	public String toString() {
		return "jq program " + this.source;
	}

	/** Keeps the first emitted value and stops the evaluation at the second. */
	private static final class FirstOutput implements Output {

		@Nullable JsonNode value;

		@Override
		public void emit(JsonNode out) {
			if (this.value != null) {
				throw Stop.INSTANCE;
			}
			this.value = (out != null) ? out : NullNode.getInstance();
		}

		/**
		 * Unwinds the evaluation once a second value is produced. Not a {@link JsonQueryException}, so jq's
		 * {@code try} and {@code ?} do not catch it.
		 */
		static final class Stop extends RuntimeException {

			static final Stop INSTANCE = new Stop();

			private Stop() {
				super("first output produced", null, false, false);
			}

		}

	}

	/** The shared read-only root scope, built on first use. */
	static final class RootScope {

		private static final Scope ROOT = create();

		private RootScope() {
		}

		static Scope get() {
			return ROOT;
		}

		private static Scope create() {
			Scope root = Scope.newEmptyScope();
			BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, root);
			Checkpoints.instrumentRoot(root);
			ObjectNode env = Json.NODES.objectNode();
			for (Map.Entry<String, String> variable : new java.util.TreeMap<>(System.getenv()).entrySet()) {
				env.put(variable.getKey(), variable.getValue());
			}
			root.setValue("ENV", (JsonNode) env);
			return root;
		}

	}

}
