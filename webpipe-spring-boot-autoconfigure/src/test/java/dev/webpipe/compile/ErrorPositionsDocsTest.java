package dev.webpipe.compile;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.webpipe.language.LoadException;
import dev.webpipe.middleware.lua.LuaMiddleware;
import dev.webpipe.testing.DocsExamples;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The error messages the docs show are the ones a load prints for the programs they describe. */
class ErrorPositionsDocsTest {

	@Test
	void aJqErrorThreeLinesIntoItsStringIsShownWhereItIs() throws IOException {
		String text = """
				GET /orders/:id
				  |> jq: `{
				    id: .params.id,
				    name: .name ]
				  }`
				""";
		assertThat(docs("language.md")).contains(rendered("routes/orders.wp", text));
	}

	@Test
	void unknownNamesGetTheSuggestionsTheDocsShow() throws IOException {
		String text = "GET /a\n  |> jqq: `.`\n";
		assertThat(headline("routes/a.wp", text)).endsWith("unknown middleware 'jqq': did you mean 'jq'?");
		assertThat(docs("language.md")).contains("`unknown middleware 'jqq': did you mean 'jq'?`")
			.contains("`unknown tag '@flg': did you mean '@flag'?`");
		assertThat(headline("routes/a.wp", "GET /a\n  |> jq: `.` @flg(beta)\n"))
			.endsWith("unknown tag '@flg': did you mean '@flag'?");
	}

	@Test
	void aLuaSyntaxErrorIsShownAtItsWpLine() throws IOException {
		String text = """
				GET /a
				  |> lua: ```
				    local total = 0
				    for i = 1, 3 do
				      total = total + i
				    end
				    return { total = total +* 2 }
				  ```
				""";
		assertThat(docs("middleware/lua.md")).contains(rendered("routes/app.wp", text));
	}

	private static String rendered(String file, String text) {
		LoadException ex = catchThrowableOfType(LoadException.class,
				() -> Programs.compile(file, text, List.of(new LuaMiddleware())));
		assertThat(ex.errors()).hasSize(1);
		return ex.errors().get(0).render();
	}

	private static String headline(String file, String text) {
		LoadException ex = catchThrowableOfType(LoadException.class,
				() -> Programs.compile(file, text, List.of(new LuaMiddleware())));
		return ex.errors().get(0).headline();
	}

	private static String docs(String name) throws IOException {
		return Files.readString(DocsExamples.DOCS.resolve(name));
	}

}
