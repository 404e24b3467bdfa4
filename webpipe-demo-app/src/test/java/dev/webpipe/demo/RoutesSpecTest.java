package dev.webpipe.demo;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;

import dev.webpipe.test.WebPipeSpecs;

/** The describe/it tests written in the demo's .wp files, one JUnit test each. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class RoutesSpecTest {

	@Autowired
	private ApplicationContext context;

	@TestFactory
	Stream<DynamicNode> specs() {
		return WebPipeSpecs.from(this.context);
	}

}
