package dev.webpipe.runtime.jq;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.JsonQueryFunction;
import net.thisptr.jackson.jq.internal.tree.ForeachExpression;
import net.thisptr.jackson.jq.internal.tree.FunctionCall;
import net.thisptr.jackson.jq.internal.tree.FunctionDefinition;
import net.thisptr.jackson.jq.internal.tree.RecursionOperator;
import net.thisptr.jackson.jq.internal.tree.ReduceExpression;
import net.thisptr.jackson.jq.internal.tree.binaryop.MultiplyExpression;
import net.thisptr.jackson.jq.internal.tree.binaryop.assignment.ComplexMultiplyAssignment;
import net.thisptr.jackson.jq.path.Path;
import org.jspecify.annotations.Nullable;

/**
 * The checkpoints of jq evaluations (docs/middleware/jq.md#budgets).
 * <p>
 * jackson-jq has no hook of its own, so checkpoints sit where the work is: every value of {@code range}, every match
 * of the regex functions ({@link RegexFunctions}), every step of {@code reduce} and {@code foreach}, and every call of
 * a function defined with {@code def} (which is how {@code limit}, {@code until}, {@code while}, {@code recurse},
 * {@code first}, {@code any}, {@code all}, {@code add}, {@code walk}, ... are written). Both the programs and the
 * builtins of the shared root scope are instrumented once, when they are compiled.
 * <p>
 * At a checkpoint the evaluation running on the thread counts one value and looks at its deadline and at its
 * cancellation; exceeding either ends it with {@link BudgetExceeded}, which is no {@link JsonQueryException}, so jq's
 * {@code try} and {@code ?} cannot catch it.
 */
final class Checkpoints {

	private static final ThreadLocal<Evaluation> CURRENT = ThreadLocal.withInitial(Evaluation::new);

	/** Functions whose cost is bounded by the size of their input: programs that call only these stay cheap. */
	private static final Set<String> CHEAP_FUNCTIONS = Set.of("empty/0", "error/0", "error/1", "not/0", "length/0",
			"utf8bytelength/0", "keys/0", "keys_unsorted/0", "values/0", "has/1", "in/1", "map/1", "map_values/1",
			"select/1", "type/0", "arrays/0", "objects/0", "iterables/0", "booleans/0", "numbers/0", "strings/0",
			"nulls/0", "scalars/0", "finites/0", "normals/0", "isfinite/0", "isinfinite/0", "isnan/0", "isnormal/0",
			"infinite/0", "nan/0", "tostring/0", "tonumber/0", "tojson/0", "fromjson/0", "ascii_downcase/0",
			"ascii_upcase/0", "explode/0", "implode/0", "ltrimstr/1", "rtrimstr/1", "startswith/1", "endswith/1",
			"split/1", "join/1", "to_entries/0", "from_entries/0", "with_entries/1", "first/0", "last/0", "nth/1",
			"first/1", "reverse/0", "sort/0", "sort_by/1", "group_by/1", "unique/0", "unique_by/1", "min/0", "max/0",
			"min_by/1", "max_by/1", "contains/1", "inside/1", "getpath/1", "setpath/2", "delpaths/1", "del/1",
			"path/1", "floor/0", "ceil/0", "round/0", "fabs/0", "sqrt/0", "now/0", "mktime/0", "gmtime/0", "todate/0",
			"fromdate/0", "todateiso8601/0", "fromdateiso8601/0", "strftime/1", "env/0", "builtins/0",
			"input_line_number/0", "any/0", "all/0", "any/1", "all/1");

	private Checkpoints() {
	}

	/** Counts one value of the evaluation on this thread and checks its budget; nothing outside an evaluation. */
	static void check() {
		Evaluation evaluation = CURRENT.get();
		if (evaluation.active) {
			evaluation.check();
		}
	}

	/** Nanoseconds left to the evaluation on this thread ({@link Long#MAX_VALUE} outside one); at least 1. */
	static long nanosLeft() {
		Evaluation evaluation = CURRENT.get();
		if (!evaluation.active) {
			return Long.MAX_VALUE;
		}
		evaluation.check();
		return Math.max(1, evaluation.deadline - System.nanoTime());
	}

	/** The end of an evaluation whose regex search was stopped by joni. */
	static BudgetExceeded interrupted(InterruptedException ex) {
		Evaluation evaluation = CURRENT.get();
		if (evaluation.active && evaluation.cancelled != null && evaluation.cancelled.get()) {
			return new BudgetExceeded("jq evaluation cancelled");
		}
		if (evaluation.active) {
			return new BudgetExceeded("jq evaluation exceeded " + evaluation.limits.describeTime());
		}
		return new BudgetExceeded("jq evaluation interrupted");
	}

	/**
	 * Starts the budget of an evaluation on this thread; {@link #end} must follow.
	 * @param cancelled set when the evaluation's request or task goes away, or {@code null}
	 */
	static @Nullable Evaluation begin(JqLimits limits, @Nullable AtomicBoolean cancelled) {
		Evaluation evaluation = CURRENT.get();
		if (evaluation.active) {
			// an evaluation inside an evaluation (not done by WebPipe itself): it shares the outer budget
			return null;
		}
		evaluation.active = true;
		evaluation.limits = limits;
		evaluation.cancelled = cancelled;
		evaluation.remaining = limits.maxEmittedValues();
		evaluation.deadline = System.nanoTime() + limits.maxEvaluationTime().toNanos();
		return evaluation;
	}

	static void end(@Nullable Evaluation evaluation) {
		if (evaluation != null) {
			evaluation.active = false;
			evaluation.cancelled = null;
		}
	}

	/** The budget state of the evaluation running on one thread (reused: evaluations do not allocate one). */
	static final class Evaluation {

		boolean active;

		@SuppressWarnings("NullAway.Init") // set by begin before any checkpoint reads it
		JqLimits limits;

		@Nullable AtomicBoolean cancelled;

		long remaining;

		long deadline;

		void check() {
			if (--this.remaining < 0) {
				throw new BudgetExceeded("jq evaluation exceeded " + this.limits.maxEmittedValues() + " values");
			}
			if (this.cancelled != null && this.cancelled.get()) {
				throw new BudgetExceeded("jq evaluation cancelled");
			}
			if (System.nanoTime() - this.deadline > 0) {
				throw new BudgetExceeded("jq evaluation exceeded " + this.limits.describeTime());
			}
		}

	}

	/** Ends an evaluation at a checkpoint. */
	static final class BudgetExceeded extends RuntimeException {

		private final String detail;

		BudgetExceeded(String message) {
			super(message, null, false, false);
			this.detail = message;
		}

		/** What budget was exceeded, for the client (the message, never {@code null}). */
		String detail() {
			return this.detail;
		}

	}

	/** An expression that passes a checkpoint, then evaluates the expression it wraps. */
	static final class Checkpoint implements Expression {

		private final Expression inner;

		Checkpoint(Expression inner) {
			this.inner = inner;
		}

		@Override
		public void apply(Scope scope, JsonNode in, Path path, PathOutput output, boolean requirePath)
				throws JsonQueryException {
			check();
			this.inner.apply(scope, in, path, output, requirePath);
		}

		@Override
		public String toString() {
			return this.inner.toString();
		}

	}

	/** A native generator whose every value passes a checkpoint. */
	static final class CheckpointedFunction implements Function {

		private final Function inner;

		CheckpointedFunction(Function inner) {
			this.inner = inner;
		}

		@Override
		public void apply(Scope scope, List<Expression> args, JsonNode in, Path ipath, PathOutput output,
				Version version) throws JsonQueryException {
			this.inner.apply(scope, args, in, ipath, (value, path) -> {
				check();
				output.emit(value, path);
			}, version);
		}

	}

	/**
	 * Puts the checkpoints into the builtins of {@code root}: {@code range} counts its values, the regex functions
	 * search within the budget, and the bodies of the functions written in jq get checkpoints like programs do.
	 */
	static void instrumentRoot(Scope root) {
		for (int arity = 1; arity <= 3; arity++) {
			Function range = root.getFunction("range", arity);
			if (range != null) {
				root.addFunction("range", arity, new CheckpointedFunction(range));
			}
		}
		root.addFunction("_match_impl", 3, RegexFunctions.MATCH);
		root.addFunction("_sub_impl", 3, RegexFunctions.SUB);
		for (Function function : new ArrayList<>(root.getLocalFunctions().values())) {
			if (function instanceof JsonQueryFunction) {
				instrument(function);
			}
		}
	}

	/**
	 * Puts checkpoints into a compiled expression (in place) and tells whether it can be expensive: whether it
	 * repeats work beyond the size of its input (generators, regex functions, {@code reduce}/{@code foreach},
	 * functions of its own, recursion, string repetition).
	 */
	static boolean instrument(Object expression) {
		Walk walk = new Walk();
		walk.visit(expression);
		return walk.expensive;
	}

	/** A walk through jackson-jq's expression tree by reflection (its tree has no visitor). */
	private static final class Walk {

		private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

		boolean expensive;

		void visit(Object node) {
			if (node == null || !this.seen.add(node)) {
				return;
			}
			if (node instanceof List<?> list) {
				list.forEach(this::visit);
				return;
			}
			if (node instanceof Map<?, ?> map) {
				map.values().forEach(this::visit);
				return;
			}
			if (node instanceof Object[] array) {
				for (Object element : array) {
					visit(element);
				}
				return;
			}
			if (node instanceof Checkpoint checkpoint) {
				visit(checkpoint.inner);
				return;
			}
			if (!node.getClass().getName().startsWith("net.thisptr.jackson.jq.") || node instanceof Scope
					|| node instanceof JsonNode) {
				return;
			}
			classify(node);
			for (Class<?> type = node.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
				for (Field field : type.getDeclaredFields()) {
					if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()
							|| Scope.class.isAssignableFrom(field.getType()) || field.getType() == String.class) {
						continue;
					}
					Object value = read(field, node);
					if (value instanceof Expression expression && isCheckpointSite(node, field)) {
						write(field, node, new Checkpoint(expression));
					}
					visit(value);
				}
			}
		}

		private void classify(Object node) {
			if (node instanceof ReduceExpression || node instanceof ForeachExpression
					|| node instanceof FunctionDefinition || node instanceof RecursionOperator
					|| node instanceof MultiplyExpression || node instanceof ComplexMultiplyAssignment) {
				this.expensive = true;
			}
			else if (node instanceof FunctionCall call) {
				Object name = read(field(FunctionCall.class, "name"), call);
				Object args = read(field(FunctionCall.class, "args"), call);
				int arity = (args instanceof List<?> list) ? list.size() : 0;
				if (!CHEAP_FUNCTIONS.contains(name + "/" + arity)) {
					this.expensive = true;
				}
			}
		}

		private static boolean isCheckpointSite(Object node, Field field) {
			return (node instanceof ReduceExpression && field.getName().equals("reduceExpr"))
					|| (node instanceof ForeachExpression && field.getName().equals("updateExpr"))
					|| ((node instanceof FunctionDefinition || node instanceof JsonQueryFunction)
							&& field.getName().equals("body"));
		}

		private static Field field(Class<?> type, String name) {
			try {
				return type.getDeclaredField(name);
			}
			catch (NoSuchFieldException ex) {
				throw new IllegalStateException("jackson-jq changed: no field " + name + " in " + type.getName(), ex);
			}
		}

		private static Object read(Field field, Object target) {
			try {
				field.setAccessible(true);
				return field.get(target);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				throw new IllegalStateException("cannot read " + field + " of jackson-jq", ex);
			}
		}

		private static void write(Field field, Object target, Object value) {
			try {
				field.setAccessible(true);
				field.set(target, value);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				throw new IllegalStateException("cannot instrument " + field + " of jackson-jq", ex);
			}
		}

	}

}
