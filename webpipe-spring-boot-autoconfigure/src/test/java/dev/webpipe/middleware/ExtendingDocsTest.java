package dev.webpipe.middleware;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.Compiler;
import dev.webpipe.instrumentation.WebPipeInstrumentation;
import dev.webpipe.runtime.RuntimeSettings;
import dev.webpipe.language.SourceFile;
import dev.webpipe.testing.DocsExamples;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/extending.md: its middleware compiles as written, its {@code .wp} example loads with it,
 * and the answers and the override the page quotes are the ones the program gives; its
 * instrumentation compiles and logs the steps of that program.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExtendingDocsTest {

	private static final Path PAGE = DocsExamples.DOCS.resolve("extending.md");

	@Test
	void theMiddlewareOfThePageCompilesAndAnswersAsThePageSays(@TempDir Path classes) throws Exception {
		Middleware greet = compileMiddleware(classes);
		List<DocsExamples.Block> examples = DocsExamples.blocks(PAGE);
		assertThat(examples).hasSize(1);
		String routes = examples.get(0).text();
		CompiledProgram program = Compiler.load(List.of(new SourceFile("extending.md", routes)),
				Programs.registry(List.of(greet)), Compiler.CompilerOptions.defaults());
		var client = Programs.client(program);
		client.get().uri("/greet/ada").exchange().expectStatus().isOk()
			.expectBody().json("{\"message\":\"Welcome, ada!\"}", true);
		client.get().uri("/shout/ada").exchange().expectStatus().isOk()
			.expectBody().json("{\"message\":\"WELCOME, ADA!\"}", true);
		client.get().uri("/greet/bartholomew").exchange().expectStatus().isEqualTo(422)
			.expectBody().jsonPath("$.errors[0].type").isEqualTo("nameTooLong");

		CompiledProgram overridden = Compiler.load(List.of(new SourceFile("extending.md", routes)),
				Programs.registry(List.of(greet)),
				new Compiler.CompilerOptions((name) -> null, Map.of("greet", Map.of("max-name-length", "12"))));
		Programs.client(overridden).get().uri("/greet/bartholomew").exchange().expectStatus().isOk()
			.expectBody().json("{\"message\":\"Welcome, bartholomew!\"}", true);
	}

	@Test
	void aBadConfigValueIsReportedAtItsKey(@TempDir Path classes) throws Exception {
		Middleware greet = compileMiddleware(classes);
		String routes = "config greet {\n  maxNameLength: 0\n}\n\nGET /greet/:name\n  |> greet: quiet\n";
		assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Compiler.load(
				List.of(new SourceFile("bad.wp", routes)), Programs.registry(List.of(greet)),
				Compiler.CompilerOptions.defaults())))
			.isInstanceOf(dev.webpipe.language.LoadException.class)
			.hasMessageContaining("bad.wp:1:8: config greet: maxNameLength must be at least 1, got 0")
			.hasMessageContaining("bad.wp:6:13: greet: the config is empty or 'loud', got 'quiet'");
	}

	@Test
	void theInstrumentationOfThePageCompilesAndSeesTheSteps(@TempDir Path classes, CapturedOutput output)
			throws Exception {
		Middleware greet = compileMiddleware(classes);
		String java = javaBlocks().stream().filter((block) -> block.contains("implements WebPipeInstrumentation"))
			.findFirst().orElseThrow();
		Path source = classes.resolve("com/example/timing/SlowSteps.java");
		Files.createDirectories(source.getParent());
		Files.writeString(source, java);
		int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-classpath",
				System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
		assertThat(status).as("javac of the page's instrumentation").isZero();
		URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
				ExtendingDocsTest.class.getClassLoader());
		WebPipeInstrumentation slowSteps = (WebPipeInstrumentation) loader.loadClass("com.example.timing.SlowSteps")
			.getDeclaredConstructor(Duration.class).newInstance(Duration.ZERO);
		CompiledProgram program = Compiler.load(
				List.of(new SourceFile("extending.md", DocsExamples.blocks(PAGE).get(0).text())),
				Programs.registry(List.of(greet)), new Compiler.CompilerOptions((name) -> null, Map.of(),
						RuntimeSettings.defaults().withInstrumentation(slowSteps)));
		Programs.client(program).get().uri("/greet/bartholomew").exchange().expectStatus().isEqualTo(422);
		assertThat(output.getAll()).containsPattern(
				"slow step greet at extending\\.md:\\d+ of GET /greet/:name: \\d+ ms, nameTooLong");
	}

	private static Middleware compileMiddleware(Path classes) throws Exception {
		List<String> java = javaBlocks();
		assertThat(java).as("java blocks of extending.md").hasSizeGreaterThanOrEqualTo(1);
		Path source = classes.resolve("com/example/greet/GreetMiddleware.java");
		Files.createDirectories(source.getParent());
		Files.writeString(source, java.get(0));
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		int status = compiler.run(null, null, null, "-classpath", System.getProperty("java.class.path"), "-d",
				classes.toString(), source.toString());
		assertThat(status).as("javac of the page's middleware").isZero();
		URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
				ExtendingDocsTest.class.getClassLoader());
		return (Middleware) loader.loadClass("com.example.greet.GreetMiddleware").getDeclaredConstructor()
			.newInstance();
	}

	private static List<String> javaBlocks() throws Exception {
		Matcher matcher = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(PAGE));
		List<String> blocks = new ArrayList<>();
		while (matcher.find()) {
			blocks.add(matcher.group(1));
		}
		return blocks;
	}

}
