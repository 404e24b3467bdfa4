package dev.webpipe.runtime.jq;

import java.time.Duration;
import java.util.Objects;

/**
 * The budget of one jq evaluation (docs/middleware/jq.md#budgets): its longest time and the most values it may produce
 * at its checkpoints. Exceeding either is a {@code jqError}.
 *
 * @param maxEvaluationTime the longest evaluation ({@code webpipe.jq.max-evaluation-time})
 * @param maxEmittedValues the most values produced at checkpoints ({@code webpipe.jq.max-emitted-values})
 */
public record JqLimits(Duration maxEvaluationTime, long maxEmittedValues) {

	/** One second and one million values. */
	public static final JqLimits DEFAULT = new JqLimits(Duration.ofSeconds(1), 1_000_000L);

	public JqLimits {
		Objects.requireNonNull(maxEvaluationTime, "maxEvaluationTime");
		if (maxEvaluationTime.isNegative() || maxEvaluationTime.isZero()) {
			throw new IllegalArgumentException("webpipe.jq.max-evaluation-time must be positive");
		}
		if (maxEmittedValues < 1) {
			throw new IllegalArgumentException("webpipe.jq.max-emitted-values must be at least 1");
		}
	}

	/** The time budget as people write it: {@code 1s}, {@code 250ms}. */
	String describeTime() {
		long millis = this.maxEvaluationTime.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

}
