package dev.webpipe.middleware;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** Time limits kept by a timer wheel: of outbound calls, SQL statements and {@code @async} tasks. */
class TimeoutsTest {

	@Test
	void aCallThatDoesNotEmitInTimeFailsWithATimeoutAndIsCancelled() {
		AtomicBoolean cancelled = new AtomicBoolean();
		StepVerifier.create(Timeouts.within(Mono.never().doOnCancel(() -> cancelled.set(true)),
				Duration.ofMillis(50), "test"))
			.expectError(TimeoutException.class)
			.verify(Duration.ofSeconds(5));
		assertThat(cancelled).isTrue();
	}

	@Test
	void aCallThatEmitsInTimeGivesItsValue() {
		StepVerifier.create(Timeouts.within(Mono.delay(Duration.ofMillis(20)).thenReturn("done"),
				Duration.ofSeconds(5), "test"))
			.expectNext("done")
			.verifyComplete();
		StepVerifier.create(Timeouts.within(Mono.just("now"), Duration.ZERO, "test"))
			.expectNext("now")
			.verifyComplete();
	}

	@Test
	void anErrorOfTheCallIsKept() {
		StepVerifier.create(Timeouts.within(Mono.error(new IllegalStateException("boom")),
				Duration.ofSeconds(5), "test"))
			.expectErrorMessage("boom")
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void workThatDoesNotEmitInTimeIsCancelledAndReplacedByTheFallback() {
		AtomicBoolean cancelled = new AtomicBoolean();
		StepVerifier.create(Timeouts.within(Mono.<String>never().doOnCancel(() -> cancelled.set(true)),
				Duration.ofMillis(50), "test", Mono.just("fallback")))
			.expectNext("fallback")
			.verifyComplete();
		assertThat(cancelled).isTrue();
		StepVerifier.create(Timeouts.within(Mono.delay(Duration.ofMillis(20)).thenReturn("done"),
				Duration.ofSeconds(5), "test", Mono.just("fallback")))
			.expectNext("done")
			.verifyComplete();
	}

	@Test
	void cancellingTheCallCancelsTheWorkAndItsLimit() throws InterruptedException {
		AtomicBoolean cancelled = new AtomicBoolean();
		AtomicBoolean fellBack = new AtomicBoolean();
		Timeouts.within(Mono.<String>never().doOnCancel(() -> cancelled.set(true)), Duration.ofMillis(30), "test",
				Mono.fromSupplier(() -> {
					fellBack.set(true);
					return "fallback";
				}))
			.subscribe()
			.dispose();
		assertThat(cancelled).isTrue();
		Thread.sleep(200);
		assertThat(fellBack).as("the limit of a cancelled call never fires").isFalse();
	}

	@Test
	void whenTheWorkAndTheLimitRaceExactlyOneOfThemAnswers() {
		// values that come at about the time the limit fires, many times: each call answers once, with one of them
		List<String> answers = Flux.range(0, 400)
			.flatMap((i) -> Timeouts.within(Mono.delay(Duration.ofMillis(i % 25)).thenReturn("value"),
					Duration.ofMillis(10), "test", Mono.just("fallback")), 64)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(answers).hasSize(400).containsOnly("value", "fallback");
	}

	@Test
	void theLimitStartsWhenTheWorkIsSubscribed() {
		Mono<String> call = Timeouts.within(Mono.delay(Duration.ofMillis(20)).thenReturn("done"),
				Duration.ofMillis(300), "test");
		// assembled long before it runs: the limit counts from the subscription
		StepVerifier.create(Mono.delay(Duration.ofMillis(400)).then(call))
			.expectNext("done")
			.verifyComplete();
	}

	@Test
	void aLimitIsOneOperatorOverTheWork() {
		Mono<String> work = Mono.delay(Duration.ofMillis(1)).thenReturn("done");
		assertThat(Scannable.from(Timeouts.within(work, Duration.ofSeconds(1), "test")).scan(Scannable.Attr.PARENT))
			.isSameAs(work);
		assertThat(Scannable.from(Timeouts.within(work, Duration.ofSeconds(1), "test", Mono.just("fallback")))
			.scan(Scannable.Attr.PARENT)).isSameAs(work);
	}

}
