package dev.webpipe.autoconfigure;

import com.fasterxml.jackson.databind.node.NullNode;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import reactor.util.context.Context;

import dev.webpipe.autoconfigure.observation.WebPipeObservationAutoConfiguration;
import dev.webpipe.instrumentation.RunParameters;
import dev.webpipe.observation.DefaultStepObservationConvention;
import dev.webpipe.observation.ObservationInstrumentation;
import dev.webpipe.observation.StepObservationContext;
import dev.webpipe.observation.StepObservationConvention;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the observations are contributed (docs/operations.md#metrics-and-traces): only with an
 * {@link ObservationRegistry} bean, taking part in no run while it is a no-op, off with Boot's
 * {@code management.observations.enable.webpipe=false}, and with conventions an application bean replaces.
 */
class ObservationAutoConfigurationTest {

	private static final RunParameters RUN = new RunParameters("GET /x", NullNode.getInstance(), Context.empty(),
			System.nanoTime(), false);

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebPipeObservationAutoConfiguration.class));

	@Test
	void withoutARegistryThereIsNoInstrumentation() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ObservationInstrumentation.class));
	}

	@Test
	void aNoOpRegistryTakesPartInNoRun() {
		this.runner.withBean(ObservationRegistry.class, () -> ObservationRegistry.NOOP)
			.run((context) -> assertThat(context.getBean(ObservationInstrumentation.class).appliesTo(RUN)).isFalse());
	}

	@Test
	void aRegistryWithAHandlerTakesPartInEveryRun() {
		this.runner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.run((context) -> assertThat(context.getBean(ObservationInstrumentation.class).appliesTo(RUN)).isTrue());
	}

	@Test
	void bootsPropertyTurnsThemOff() {
		ReactiveWebApplicationContextRunner boot = this.runner
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
			.withBean(ObservationHandler.class, () -> new AnyContextHandler());
		boot.run((context) -> assertThat(context.getBean(ObservationInstrumentation.class).appliesTo(RUN)).isTrue());
		boot.withPropertyValues("management.observations.enable.webpipe=false")
			.run((context) -> assertThat(context.getBean(ObservationInstrumentation.class).appliesTo(RUN)).isFalse());
		boot.withPropertyValues("management.observations.enable.webpipe.task=false").run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			assertThat(context.getBean(ObservationInstrumentation.class).appliesTo(RUN)).isTrue();
			assertThat(Observation.createNotStarted("webpipe.task", registry).isNoop()).isTrue();
			assertThat(Observation.createNotStarted("webpipe.step", registry).isNoop()).isFalse();
		});
	}

	@Test
	void anApplicationConventionReplacesTheDefault() {
		this.runner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.withBean(StepObservationConvention.class, () -> new DefaultStepObservationConvention() {

				@Override
				public KeyValues getLowCardinalityKeyValues(StepObservationContext context) {
					return super.getLowCardinalityKeyValues(context).and("team", "checkout");
				}

			})
			.run((context) -> assertThat(context).getBeans(StepObservationConvention.class)
				.hasSize(1)
				.allSatisfy((name, convention) -> assertThat(convention.getLowCardinalityKeyValues(
						new StepObservationContext("GET /x", "jq", "a.wp:1", null)).stream())
					.anyMatch((keyValue) -> keyValue.getKey().equals("team"))));
	}

	private static final class AnyContextHandler implements ObservationHandler<Observation.Context> {

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
