package dev.webpipe.compile;

import java.util.List;

/**
 * {@code webpipe.config.<block>.<key>} properties that name no block or key that a registered
 * middleware declares, or whose values do not bind (docs/configuration.md#config-block-overrides).
 */
public class InvalidConfigPropertiesException extends IllegalStateException {

	private final List<String> problems;

	public InvalidConfigPropertiesException(List<String> problems) {
		super(String.join("; ", problems));
		this.problems = List.copyOf(problems);
	}

	/** One plain-text message per property, each naming it. */
	public List<String> problems() {
		return this.problems;
	}

}
