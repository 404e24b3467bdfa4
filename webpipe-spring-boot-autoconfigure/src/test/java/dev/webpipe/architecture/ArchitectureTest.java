package dev.webpipe.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of docs/architecture.md#packages, read from the compiled classes: no package cycle,
 * a language layer on the JDK alone, a middleware SPI that knows no runtime, middleware that
 * reach neither the WebFlux adapter nor the auto-configuration, and middleware implementations
 * that the rest of the code reaches only through the SPI (docs/architecture.md#public-surface). That every package
 * of every module is {@code @NullMarked} is {@link NullMarkedPackagesTest}'s rule.
 */
@AnalyzeClasses(packages = "dev.webpipe", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	@ArchTest
	static final ArchRule noPackageCycles = slices().matching("dev.webpipe.(**)")
		.should()
		.beFreeOfCycles();

	@ArchTest
	static final ArchRule theLanguageNeedsTheJdkAlone = noClasses().that()
		.resideInAPackage("dev.webpipe.language..")
		.should()
		.dependOnClassesThat()
		.resideOutsideOfPackages("java..", "dev.webpipe.language..", "org.jspecify.annotations..");

	@ArchTest
	static final ArchRule theMiddlewareSpiKnowsNoRuntime = noClasses().that()
		.resideInAPackage("dev.webpipe.middleware")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.webpipe.runtime..", "dev.webpipe.compile..", "dev.webpipe.web..",
				"dev.webpipe.autoconfigure..");

	@ArchTest
	static final ArchRule middlewareReachNeitherTheWebAdapterNorTheAutoConfiguration = noClasses().that()
		.resideInAPackage("dev.webpipe.middleware..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.webpipe.web..", "dev.webpipe.autoconfigure..");

	/**
	 * A built-in's {@code *Middleware} class is created by the auto-configuration that registers it
	 * and used by nothing else outside its package; its {@code *Step} classes only inside it.
	 * Everything else reaches a middleware through the SPI ({@code Middleware}, {@code ExecutableStep}).
	 */
	@ArchTest
	static final ArchRule middlewareImplementationsAreReachedThroughTheSpi = classes().that()
		.resideInAPackage("dev.webpipe.middleware.*")
		.and()
		.haveNameMatching(".*(Middleware|Step)(\\$.*)?")
		.should(beUsedOnlyInTheirPackageOrRegisteredByTheAutoConfiguration());

	private static ArchCondition<JavaClass> beUsedOnlyInTheirPackageOrRegisteredByTheAutoConfiguration() {
		return new ArchCondition<>("be used only in their package (a *Middleware also by dev.webpipe.autoconfigure)") {
			@Override
			public void check(JavaClass implementation, ConditionEvents events) {
				boolean registered = implementation.getSimpleName().endsWith("Middleware");
				for (Dependency dependency : implementation.getDirectDependenciesToSelf()) {
					String origin = dependency.getOriginClass().getPackageName();
					boolean allowed = origin.equals(implementation.getPackageName())
							|| (registered && origin.startsWith("dev.webpipe.autoconfigure"));
					if (!allowed) {
						events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
					}
				}
			}
		};
	}

}
