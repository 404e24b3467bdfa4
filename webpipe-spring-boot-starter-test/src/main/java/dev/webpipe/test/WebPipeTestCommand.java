package dev.webpipe.test;

import java.io.PrintStream;
import java.util.function.IntConsumer;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;

import dev.webpipe.language.LoadException;

/**
 * Runs the {@code describe}/{@code it} tests of the application's {@code .wp} files once the
 * application has started ({@code --webpipe.test}), prints one line per test ({@code PASS} or
 * {@code FAIL}, then {@code describe › it}; the failures of a failed test indented below it) and
 * the closing line {@code N passed, M failed}, and exits: 0 when every test passed, 1 when one
 * failed, 2 when the tests could not be loaded.
 */
public final class WebPipeTestCommand implements ApplicationRunner {

	private final ApplicationContext context;

	private final PrintStream out;

	private final IntConsumer exit;

	public WebPipeTestCommand(ApplicationContext context) {
		this(context, System.out, System::exit);
	}

	WebPipeTestCommand(ApplicationContext context, PrintStream out, IntConsumer exit) {
		this.context = context;
		this.out = out;
		this.exit = exit;
	}

	@Override
	public void run(ApplicationArguments args) {
		int code = runTests();
		this.out.flush();
		this.exit.accept(SpringApplication.exit(this.context, () -> code));
	}

	/** Runs and prints the tests; returns the exit code. */
	int runTests() {
		SpecSuite suite;
		try {
			suite = SpecSuite.load(this.context);
		}
		catch (LoadException | IllegalStateException ex) {
			this.out.println(ex.getMessage());
			return 2;
		}
		int passed = 0;
		int failed = 0;
		for (SpecLoader.Group group : suite.groups()) {
			for (Spec spec : group.specs()) {
				SpecResult result = suite.run(spec);
				if (result.passed()) {
					passed++;
					this.out.println("PASS  " + spec.displayName());
				}
				else {
					failed++;
					this.out.println("FAIL  " + spec.displayName());
					this.out.println("      " + result.report().replace("\n", "\n      "));
				}
			}
		}
		this.out.println(passed + " passed, " + failed + " failed");
		return (failed > 0) ? 1 : 0;
	}

}
