package dev.webpipe.autoconfigure.actuate;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.webpipe.compile.CompiledProgram;

/**
 * The {@code webpipe} health contributor (docs/operations.md#health): {@code UP} with the number of
 * files and routes of the program now serving, and the last reload's result when there was one. A
 * failed reload leaves it {@code UP}, since the previous program keeps serving.
 */
public class WebPipeHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<CompiledProgram> program;

	private final Supplier<@Nullable Object> lastReload;

	public WebPipeHealthIndicator(Supplier<CompiledProgram> program, Supplier<@Nullable Object> lastReload) {
		super("WebPipe health check failed");
		this.program = program;
		this.lastReload = lastReload;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		CompiledProgram program = this.program.get();
		builder.up().withDetail("files", program.documents().size()).withDetail("routes", program.routes().size());
		Object lastReload = this.lastReload.get();
		if (lastReload != null) {
			builder.withDetail("lastReload", lastReload);
		}
	}

}
