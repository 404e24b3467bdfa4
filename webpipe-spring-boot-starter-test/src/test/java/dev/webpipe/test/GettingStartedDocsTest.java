package dev.webpipe.test;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.w3c.dom.Document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/getting-started.md, followed as a newcomer would: its {@code pom.xml} names this
 * project's versions, its three Java files compile, and the application they make, with the
 * page's {@code .wp} files, serves the routes and passes the page's tests through the test
 * class of the page.
 */
class GettingStartedDocsTest {

	private static final Path PAGE = Path.of("../docs/getting-started.md");

	@Test
	void thePomNamesThisProjectsVersions() throws Exception {
		Document page = xml(blocks("xml").get(0));
		Document project = xml(Files.readString(Path.of("../pom.xml")));
		XPath xpath = XPathFactory.newInstance().newXPath();
		assertThat(xpath.evaluate("/project/parent/artifactId", page)).isEqualTo("spring-boot-starter-parent");
		assertThat(xpath.evaluate("/project/parent/version", page))
			.isEqualTo(xpath.evaluate("/project/parent/version", project));
		assertThat(xpath.evaluate("/project/properties/java.version", page)).isEqualTo("17");
		String version = xpath.evaluate("/project/version", project);
		for (String artifact : List.of("webpipe-spring-boot-starter", "webpipe-spring-boot-starter-test")) {
			assertThat(xpath.evaluate("/project/dependencies/dependency[artifactId='" + artifact + "']/version", page))
				.as(artifact).isEqualTo(version);
			assertThat(Path.of("../" + artifact)).isDirectory();
		}
		assertThat(xpath.evaluate("/project/dependencies/dependency[artifactId='webpipe-spring-boot-starter-test']/scope",
				page)).isEqualTo("test");
		assertThat(blocks("sh")).containsExactly("mvn -B -q install -DskipTests\n");
		assertThat(Files.readString(Path.of("../README.md"))).contains("mvn -B -q install -DskipTests");
	}

	@Test
	void theApplicationOfThePageServesItsRoutesAndPassesItsTests(@TempDir Path dir) throws Exception {
		List<String> java = blocks("java");
		assertThat(java).hasSize(3);
		Path classes = dir.resolve("classes");
		List<String> sources = new ArrayList<>(List.of("-classpath", System.getProperty("java.class.path"), "-d",
				classes.toString()));
		for (String code : java) {
			Matcher name = Pattern.compile("(?:public )?class (\\w+)").matcher(code);
			assertThat(name.find()).isTrue();
			Path source = dir.resolve("src/com/example/app/" + name.group(1) + ".java");
			Files.createDirectories(source.getParent());
			Files.writeString(source, code);
			sources.add(source.toString());
		}
		JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
		assertThat(javac.run(null, null, null, sources.toArray(String[]::new))).as("javac of the page's classes").isZero();

		List<String> wp = blocks("wp");
		assertThat(wp).hasSize(3);
		assertThat(wp.get(1)).as("the tested hello.wp extends the first one").startsWith(wp.get(0));
		Path routes = Files.createDirectories(dir.resolve("routes"));
		Files.writeString(routes.resolve("hello.wp"), wp.get(1));
		Files.writeString(routes.resolve("shout.wp"), wp.get(2));

		try (URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
				GettingStartedDocsTest.class.getClassLoader());
				ConfigurableApplicationContext context = new SpringApplicationBuilder(
						loader.loadClass("com.example.app.App"))
					.resourceLoader(new DefaultResourceLoader(loader))
					.properties(Map.of("server.port", "0", "server.address", "127.0.0.1",
							"webpipe.routes-location", routes.toUri().toString(), "webpipe.reload.enabled", "true"))
					.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
			client.get().uri("/hello/world").exchange().expectStatus().isOk()
				.expectBody().json("{\"hello\":\"world\"}", true);
			client.post().uri("/shout").bodyValue(Map.of("text", "hello")).exchange().expectStatus().isOk()
				.expectBody().json("{\"text\":\"HELLO\"}", true);

			// The page's RoutesTest: its @TestFactory over this context, every test run.
			Class<?> routesTest = loader.loadClass("com.example.app.RoutesTest");
			var constructor = routesTest.getDeclaredConstructor();
			constructor.setAccessible(true);
			Object instance = constructor.newInstance();
			var field = routesTest.getDeclaredField("context");
			field.setAccessible(true);
			field.set(instance, context);
			var factory = routesTest.getDeclaredMethod("routes");
			factory.setAccessible(true);
			@SuppressWarnings("unchecked")
			Stream<DynamicNode> nodes = (Stream<DynamicNode>) factory.invoke(instance);
			Map<String, Throwable> outcomes = new LinkedHashMap<>();
			AtomicInteger run = new AtomicInteger();
			nodes.forEach((node) -> ((DynamicContainer) node).getChildren().forEach((child) -> {
				DynamicTest test = (DynamicTest) child;
				run.incrementAndGet();
				try {
					test.getExecutable().execute();
				}
				catch (Throwable ex) {
					outcomes.put(test.getDisplayName(), ex);
				}
			}));
			assertThat(run).hasValue(3);
			assertThat(outcomes).isEmpty();

			// 6. Edit, save, refresh: the saved change answers without a restart.
			Files.writeString(routes.resolve("hello.wp"),
					wp.get(1).replace("{ hello: .params.name }", "{ hello: .params.name, saved: true }"));
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> client.get()
				.uri("/hello/world").exchange().expectStatus().isOk()
				.expectBody().json("{\"hello\":\"world\",\"saved\":true}", true));
		}
	}

	@Test
	void theQuotedLoadErrorAndPropertyAreTheRealOnes() throws Exception {
		Matcher plain = Pattern.compile("(?m)^```\\n(routes/hello\\.wp:.*?)^```$", Pattern.DOTALL)
			.matcher(Files.readString(PAGE));
		assertThat(plain.find()).as("the quoted load error").isTrue();
		String quoted = plain.group(1);
		String broken = "GET /hello/:name\n  |> jq: `{ hello: .params.name }\n";
		Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> dev.webpipe.compile.Compiler.load(
				List.of(new dev.webpipe.language.SourceFile("routes/hello.wp", broken)),
				dev.webpipe.middleware.MiddlewareRegistry.of(dev.webpipe.autoconfigure.BuiltinMiddleware.standalone(),
						Map.of()),
				dev.webpipe.compile.Compiler.CompilerOptions.defaults()));
		assertThat(error).isNotNull();
		assertThat(error.getMessage()).contains(quoted.strip());
		assertThat(blocks("properties")).containsExactly("webpipe.routes-location=file:/srv/app/routes/\n",
				"webpipe.routes-location=file:src/main/resources/routes/\nwebpipe.reload.enabled=true\n");
		assertThat(dev.webpipe.autoconfigure.WebPipeProperties.class.getDeclaredField("routesLocation")).isNotNull();
	}

	private static Document xml(String text) throws Exception {
		return DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
	}

	private static List<String> blocks(String language) throws Exception {
		Matcher matcher = Pattern.compile("(?m)^```" + language + "\\n(.*?)^```$", Pattern.DOTALL)
			.matcher(Files.readString(PAGE));
		List<String> blocks = new ArrayList<>();
		while (matcher.find()) {
			blocks.add(matcher.group(1));
		}
		return blocks;
	}

}
