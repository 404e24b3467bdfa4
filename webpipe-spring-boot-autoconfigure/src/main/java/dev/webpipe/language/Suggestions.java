package dev.webpipe.language;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean ...?" for unknown names in diagnostics (docs/language.md#error-messages): the
 * known name closest to the one written, when it is at most two edits away (insertions,
 * deletions, substitutions) and fewer edits than the written name has characters.
 */
public final class Suggestions {

	/** The greatest edit distance that still gets a suggestion. */
	static final int MAX_DISTANCE = 2;

	private Suggestions() {
	}

	/** The closest of {@code known} to {@code name} (ties: the alphabetically first), if one is close enough. */
	public static Optional<String> closest(String name, Collection<String> known) {
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : known) {
			if (candidate.equals(name) || Math.abs(candidate.length() - name.length()) > MAX_DISTANCE) {
				continue;
			}
			int distance = distance(name, candidate);
			if (distance <= MAX_DISTANCE && distance < name.length()
					&& (distance < bestDistance || (distance == bestDistance && candidate.compareTo(best) < 0))) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return Optional.ofNullable(best);
	}

	/** {@code message}, followed by {@code : did you mean '<name>'?} when a known name is close. */
	public static String withSuggestion(String message, String name, Collection<String> known) {
		return closest(name, known).map((close) -> message + ": did you mean '" + close + "'?").orElse(message);
	}

	/** Levenshtein distance, two rows. */
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
