package dev.webpipe.test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.MultipleFailuresError;

import org.springframework.context.ApplicationContext;

/**
 * The {@code describe}/{@code it} tests of an application's {@code .wp} files as JUnit Jupiter
 * dynamic tests: one container per {@code describe}, one test per {@code it}, named
 * {@code describe › it}.
 *
 * <pre class="code">
 * &#64;SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
 * class RoutesSpecTest {
 *
 *     &#64;Autowired
 *     ApplicationContext context;
 *
 *     &#64;TestFactory
 *     Stream&lt;DynamicNode&gt; specs() {
 *         return WebPipeSpecs.from(this.context);
 *     }
 *
 * }
 * </pre>
 *
 * A failed assertion fails its test with an {@link AssertionFailedError} carrying the expected
 * and actual values (IDEs show them as a diff) and the {@code .wp} file and line; several failed
 * assertions are reported together; a failing test never stops the others.
 */
public final class WebPipeSpecs {

	private WebPipeSpecs() {
	}

	/**
	 * The tests of the application's {@code .wp} files.
	 * @param context a running reactive web application context with WebPipe
	 * @return one {@link DynamicContainer} per {@code describe}
	 * @throws dev.webpipe.language.LoadException when the tests have load-time errors (unknown
	 * routes, pipelines, variables or mock targets, malformed assertions, …), all of them listed
	 */
	public static Stream<DynamicNode> from(ApplicationContext context) {
		SpecSuite suite = SpecSuite.load(context);
		return suite.groups().stream().map((group) -> DynamicContainer.dynamicContainer(group.name(), group.source(),
				group.specs().stream().map((spec) -> DynamicTest.dynamicTest(spec.displayName(), spec.source(),
						() -> verify(suite.run(spec))))));
	}

	private static void verify(SpecResult result) {
		if (result.passed()) {
			return;
		}
		if (result.error() != null) {
			throw new AssertionFailedError(result.report());
		}
		Spec spec = result.spec();
		List<Throwable> failures = new ArrayList<>();
		for (Failure failure : result.failures()) {
			String message = spec.location() + ": it \"" + spec.name() + "\"\n  " + failure.describe(spec.file());
			failures.add((failure.expected() != null || failure.actual() != null)
					? new AssertionFailedError(message, failure.expected(), failure.actual())
					: new AssertionFailedError(message));
		}
		if (failures.size() == 1) {
			throw (AssertionFailedError) failures.get(0);
		}
		throw new MultipleFailuresError(spec.location() + ": it \"" + spec.name() + "\": " + failures.size()
				+ " assertions failed", failures);
	}

}
