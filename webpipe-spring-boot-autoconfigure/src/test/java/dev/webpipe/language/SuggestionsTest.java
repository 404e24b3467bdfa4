package dev.webpipe.language;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTest {

	@Test
	void theClosestNameWithinTwoEditsIsSuggested() {
		List<String> known = List.of("jq", "log", "debug", "fetch", "graphql");
		assertThat(Suggestions.closest("jqq", known)).contains("jq");
		assertThat(Suggestions.closest("fecth", known)).contains("fetch");
		assertThat(Suggestions.closest("grapql", known)).contains("graphql");
		assertThat(Suggestions.closest("deebuug", known)).contains("debug");
	}

	@Test
	void nothingIsSuggestedBeyondTwoEditsOrForAWordThatShort() {
		List<String> known = List.of("jq", "log", "loadOrder");
		assertThat(Suggestions.closest("loadUser", known)).isEmpty();
		assertThat(Suggestions.closest("x", known)).as("one character: any 1-edit name would do").isEmpty();
		assertThat(Suggestions.closest("jq", known)).as("the name itself").isEmpty();
	}

	@Test
	void tiesGoToTheAlphabeticallyFirstName() {
		assertThat(Suggestions.closest("cat", List.of("hat", "bat", "mat"))).contains("bat");
		assertThat(Suggestions.withSuggestion("unknown 'cat'", "cat", List.of("hat")))
			.isEqualTo("unknown 'cat': did you mean 'hat'?");
		assertThat(Suggestions.withSuggestion("unknown 'cat'", "cat", List.of())).isEqualTo("unknown 'cat'");
	}

}
