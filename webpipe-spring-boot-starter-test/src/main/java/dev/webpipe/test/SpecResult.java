package dev.webpipe.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How a test ended.
 *
 * @param spec the test
 * @param failures the failed assertions (all of them)
 * @param error why the test could not run to its assertions, or {@code null}
 */
record SpecResult(Spec spec, List<Failure> failures, @Nullable String error) {

	SpecResult {
		failures = List.copyOf(failures);
	}

	boolean passed() {
		return this.failures.isEmpty() && this.error == null;
	}

	/** The report of a failed or errored test: where it is and every failure, one per paragraph. */
	String report() {
		if (this.error != null) {
			return "test errored at " + this.spec.location() + ": " + this.error;
		}
		StringBuilder out = new StringBuilder();
		out.append(this.spec.location()).append(": it \"").append(this.spec.name()).append("\" failed");
		for (Failure failure : this.failures) {
			out.append("\n  ").append(failure.describe(this.spec.file()));
		}
		return out.toString();
	}

}
