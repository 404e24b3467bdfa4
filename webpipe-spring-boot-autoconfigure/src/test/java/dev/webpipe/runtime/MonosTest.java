package dev.webpipe.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** One operator for the outcome of a step's work: its value, its error or nothing. */
class MonosTest {

	@Test
	void aValueAnErrorAndNothingEachBecomeOneValue() {
		StepVerifier.create(Monos.settle(Mono.delay(Duration.ofMillis(5)).thenReturn("row"), (v) -> "value " + v,
				(ex) -> "error " + ex.getMessage()))
			.expectNext("value row")
			.verifyComplete();
		StepVerifier.create(Monos.settle(Mono.<String>error(new IllegalStateException("boom")), (v) -> "value " + v,
				(ex) -> "error " + ex.getMessage()))
			.expectNext("error boom")
			.verifyComplete();
		StepVerifier.create(Monos.settle(Mono.<String>empty(), (v) -> "value " + v, (ex) -> "error"))
			.expectNext("value null")
			.verifyComplete();
	}

	@Test
	void aFunctionThatThrowsFailsTheResult() {
		StepVerifier.create(Monos.settle(Mono.just("row"), (v) -> {
			throw new IllegalArgumentException("fatal");
		}, (ex) -> "error"))
			.expectErrorMessage("fatal")
			.verify(Duration.ofSeconds(5));
		StepVerifier.create(Monos.settle(Mono.<String>error(new IllegalStateException("boom")), (v) -> "value",
				(ex) -> {
					throw new IllegalArgumentException("fatal too");
				}))
			.expectErrorMessage("fatal too")
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void aValueWaitsForTheRequest() {
		StepVerifier.create(Monos.settle(Mono.just("row"), (v) -> "value " + v, (ex) -> "error"), 0)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(50))
			.thenRequest(1)
			.expectNext("value row")
			.verifyComplete();
	}

	@Test
	void cancellingTheResultCancelsTheWork() {
		AtomicBoolean cancelled = new AtomicBoolean();
		Sinks.One<String> never = Sinks.one();
		Monos.settle(never.asMono().doOnCancel(() -> cancelled.set(true)), (v) -> v, (ex) -> "error")
			.subscribe()
			.dispose();
		assertThat(cancelled).isTrue();
	}

	@Test
	void itIsOneOperatorOverTheWork() {
		Mono<String> work = Mono.delay(Duration.ofMillis(1)).thenReturn("row");
		Mono<String> settled = Monos.settle(work, (v) -> v, (ex) -> "error");
		assertThat(Scannable.from(settled).scan(Scannable.Attr.PARENT)).isSameAs(work);
	}

}
