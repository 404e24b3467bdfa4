package dev.webpipe.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/** The native-image hints (docs/native.md), checked with Spring's {@link RuntimeHintsPredicates}. */
class WebPipeRuntimeHintsTest {

	private final RuntimeHints hints = registered();

	private static RuntimeHints registered() {
		RuntimeHints hints = new RuntimeHints();
		new WebPipeRuntimeHints().registerHints(hints, WebPipeRuntimeHintsTest.class.getClassLoader());
		return hints;
	}

	@Test
	void theRegistrarIsListedInAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.anyMatch((registrar) -> registrar instanceof WebPipeRuntimeHints);
	}

	@Test
	void wpFilesAndLuaScriptsAtTheDefaultLocations() {
		assertThat(RuntimeHintsPredicates.resource().forResource("routes/app.wp")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("routes/orders/list.wp")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("routes/scripts/util.lua")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("other/app.wp")).rejects(this.hints);
	}

	@Test
	void jacksonJqBuiltinsAndFunctions() {
		assertThat(RuntimeHintsPredicates.resource().forResource("net/thisptr/jackson/jq/jq.json")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource().forResource(WebPipeRuntimeHints.JQ_FUNCTIONS)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(
				TypeReference.of("net.thisptr.jackson.jq.internal.JqJson$JqFuncDef"))
			.withMemberCategory(MemberCategory.ACCESS_DECLARED_FIELDS)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(
				TypeReference.of("net.thisptr.jackson.jq.internal.functions.AtBase64Function"))
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(this.hints);
	}

	@Test
	void luaLibraryFunctionsCreatedByReflection() throws Exception {
		Class<?> bit32 = Class.forName("org.luaj.vm2.lib.Bit32Lib$Bit32LibV");
		assertThat(RuntimeHintsPredicates.reflection().onType(bit32)
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(this.hints);
		// the Java bridge is never exposed to scripts (docs/security.md#the-lua-sandbox)
		assertThat(RuntimeHintsPredicates.reflection().onType(Class.forName("org.luaj.vm2.lib.jse.LuajavaLib")))
			.rejects(this.hints);
	}

	@Test
	void theTypesOfConfigBlocksBindByReflection() {
		assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of("dev.webpipe.middleware.pg.PgSettings"))).accepts(this.hints);
	}

}
