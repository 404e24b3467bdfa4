package dev.webpipe.test;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each {@code it} starts with empty cache entries and rate-limit windows: a test does not see what the
 * tests before it cached or counted ({@code spec/stores/stores.wp}).
 */
@SpringBootTest(classes = SpecTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "webpipe.routes-location=classpath:/spec/stores/")
class StoreIsolationSpecsTest {

	@Autowired
	private ApplicationContext context;

	@Test
	void everyTestSeesEmptyStores() throws Throwable {
		List<String> ran = new ArrayList<>();
		for (Object node : WebPipeSpecs.from(this.context).toList()) {
			for (Object child : ((DynamicContainer) node).getChildren().toList()) {
				DynamicTest test = (DynamicTest) child;
				test.getExecutable().execute();
				ran.add(test.getDisplayName());
			}
		}
		assertThat(ran).hasSize(4);
	}

}
