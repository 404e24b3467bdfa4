package dev.webpipe.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.MultipleFailuresError;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WebPipeSpecs} over {@code spec/passing/app.wp} (every assertion kind and mock target,
 * expected to pass) and {@code spec/failing/failing.wp} (each test fails with a known message).
 */
@SpringBootTest(classes = SpecTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "webpipe.routes-location=classpath:/spec/passing/,classpath:/spec/failing/")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebPipeSpecsTest {

	@Autowired
	private ApplicationContext context;

	/** Outcome of every dynamic test, by display name: {@code null} when it passed. */
	private final Map<String, Throwable> outcomes = new LinkedHashMap<>();

	private final List<DynamicContainer> containers = new ArrayList<>();

	private final List<java.net.URI> testSources = new ArrayList<>();

	@BeforeAll
	void runEverySpec() {
		WebPipeSpecs.from(this.context).forEach((node) -> {
			DynamicContainer container = (DynamicContainer) node;
			this.containers.add(container);
			container.getChildren().forEach((child) -> {
				DynamicTest test = (DynamicTest) child;
				this.testSources.add(test.getTestSourceUri().orElse(null));
				try {
					test.getExecutable().execute();
					this.outcomes.put(test.getDisplayName(), null);
				}
				catch (Throwable ex) {
					this.outcomes.put(test.getDisplayName(), ex);
				}
			});
		});
	}

	/** The passing specs, as an application would run them: each one a test of its own. */
	@TestFactory
	Stream<DynamicNode> passingSpecs() {
		return WebPipeSpecs.from(this.context).filter((node) -> !node.getDisplayName().equals("failing"));
	}

	@Test
	void oneContainerPerDescribeAndOneTestPerItNamedDescribeArrowIt() {
		assertThat(this.containers).extracting(DynamicNode::getDisplayName)
			.containsExactly("requests", "html", "middleware mocks", "real middleware", "pipeline mocks",
					"running pipelines and variables", "graphql mocks", "failing", "handlebars pages", "validate forms");
		assertThat(this.outcomes.keySet()).contains("requests › passes path, query, headers and cookies",
				"failing › status", "graphql mocks › mocks a mutation");
		DynamicContainer first = this.containers.get(0);
		assertThat(first.getTestSourceUri()).hasValue(java.net.URI.create("classpath:/spec/passing/app.wp?line=89"));
		assertThat(this.testSources.get(0)).isEqualTo(java.net.URI.create("classpath:/spec/passing/app.wp?line=94"));
	}

	@Test
	void everyPassingSpecPasses() {
		this.outcomes.forEach((name, failure) -> {
			if (!name.startsWith("failing ›")) {
				assertThat(failure).as(name).isNull();
			}
		});
		assertThat(this.outcomes.keySet().stream().filter((name) -> !name.startsWith("failing ›"))).hasSize(34);
	}

	@Test
	void everyFailingSpecFailsWithAClearMessage() {
		Map<String, String> expected = new LinkedHashMap<>();
		expected.put("status", "expected status 201 but was 200");
		expected.put("status range", "expected status in 300..399 but was 200");
		expected.put("content type", "expected content type \"text/html\" but was \"application/json\"");
		expected.put("output equals", "output `{ hello: .hello }` does not equal {\"hello\":\"y\"}; it is {\"hello\":\"x\"}");
		expected.put("output contains", "output does not contain {\"hello\":\"y\"}; it is {\"hello\":\"x\",");
		expected.put("output matches", "output does not match /\"hello\":\"y\"/: {\"hello\":\"x\",");
		expected.put("jq error", "jq `.hello | tonumber` failed on the output: ");
		expected.put("header missing", "header \"X-Nope\" is missing");
		expected.put("header value",
				"header \"content-type\" is \"application/json\", which does not equal \"text/plain\"");
		expected.put("selector on json", "selector `h1` needs HTML output (a string), but the output is {");
		expected.put("selector exists", "no element matches `h2`");
		expected.put("selector absent", "3 elements match `li`, expected none: <li>a</li>");
		expected.put("selector text", "text of `h1` is \"Welcome home\", which does not equal \"Bye\"");
		expected.put("selector count", "`li` matches 3 elements, expected more than 5");
		expected.put("selector attribute", "attribute \"href\" of `a` is \"/home\", which does contain \"home\"");
		expected.put("selector attribute missing", "the first `a` has no attribute \"title\"");
		expected.put("call never made", "pipeline loadUser was never called");
		expected.put("call arguments", "no call of pipeline priceCart contains {\"nope\":1}; calls: {\"method\":\"GET\"");
		expected.forEach((name, message) -> {
			Throwable failure = this.outcomes.get("failing › " + name);
			assertThat(failure).as(name).isInstanceOf(AssertionFailedError.class);
			assertThat(failure.getMessage()).as(name)
				.startsWith("failing.wp:")
				.contains("it \"" + name + "\"")
				.contains(message);
		});
	}

	@Test
	void aFailureNamesTheFileAndLinesAndCarriesExpectedAndActualForADiff() {
		AssertionFailedError failure = (AssertionFailedError) this.outcomes.get("failing › output equals");
		assertThat(failure.getMessage()).startsWith("failing.wp:22: it \"output equals\"\n"
				+ "  failing.wp:24: then output `{ hello: .hello }` equals `{ \"hello\": \"y\" }`\n");
		assertThat(failure.isExpectedDefined()).isTrue();
		assertThat(failure.getExpected().getStringRepresentation()).isEqualTo("{\n  \"hello\" : \"y\"\n}");
		assertThat(failure.getActual().getStringRepresentation()).isEqualTo("{\n  \"hello\" : \"x\"\n}");
		AssertionFailedError status = (AssertionFailedError) this.outcomes.get("failing › status");
		assertThat(status.getExpected().getValue()).isEqualTo("201");
		assertThat(status.getActual().getValue()).isEqualTo("200");
	}

	@Test
	void everyFailedAssertionOfATestIsReported() {
		Throwable failure = this.outcomes.get("failing › several failures");
		assertThat(failure).isInstanceOf(MultipleFailuresError.class);
		assertThat(((MultipleFailuresError) failure).getFailures()).hasSize(2);
		assertThat(failure.getMessage()).contains("2 assertions failed", "expected status 500 but was 200",
				"output `.hello` does not equal \"z\"; it is \"x\"").doesNotContain("status is 200");
	}

	@Test
	void aFatalErrorOrAFailingMockErrorsTheTest() {
		assertThat(this.outcomes.get("failing › fatal route").getMessage())
			.startsWith("test errored at failing.wp:")
			.contains("pipeline calls nested deeper than 64");
		assertThat(this.outcomes.get("failing › fatal pipeline").getMessage())
			.startsWith("test errored at failing.wp:")
			.contains("pipeline calls nested deeper than 64");
		assertThat(this.outcomes.get("failing › mock that fails").getMessage())
			.startsWith("test errored at failing.wp:")
			.contains("mock jq returning `error(\"boom\")` failed: ", "boom");
	}

}
