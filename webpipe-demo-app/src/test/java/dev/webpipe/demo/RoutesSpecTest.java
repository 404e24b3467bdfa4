package dev.webpipe.demo;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;

import dev.webpipe.test.WebPipeSpecs;

import static org.assertj.core.api.Assertions.assertThat;

/** The describe/it tests written in the demo's .wp files, one JUnit test each. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class RoutesSpecTest {

	@Autowired
	private ApplicationContext context;

	@TestFactory
	Stream<DynamicNode> specs() {
		List<DynamicNode> specs = WebPipeSpecs.from(this.context).toList();
		assertThat(specs).as("describe blocks in the demo's .wp files").isNotEmpty();
		return specs.stream();
	}

}
