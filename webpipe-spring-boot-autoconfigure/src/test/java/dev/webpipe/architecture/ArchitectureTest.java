package dev.webpipe.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of docs/architecture.md#packages, read from the compiled classes: no package cycle,
 * a language layer on the JDK alone, a middleware SPI that knows no runtime, and middleware that
 * reach neither the WebFlux adapter nor the auto-configuration.
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
		.resideOutsideOfPackages("java..", "dev.webpipe.language..");

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

}
