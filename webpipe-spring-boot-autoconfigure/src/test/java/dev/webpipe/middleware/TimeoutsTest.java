package dev.webpipe.middleware;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
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

}
