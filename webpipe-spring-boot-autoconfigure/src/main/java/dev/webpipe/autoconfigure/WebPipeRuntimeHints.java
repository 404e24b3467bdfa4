package dev.webpipe.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import dev.webpipe.middleware.ConfigBlock;
import dev.webpipe.middleware.Middleware;

/**
 * What a native image of an application serving {@code .wp} files needs besides what Spring's AOT processing finds
 * (docs/native.md): the {@code .wp} files and Lua scripts at their default locations, jackson-jq's builtin
 * definitions and function classes, the LuaJ library functions that LuaJ creates by reflection, and the types that
 * the built-in middleware bind their {@code config} blocks to. Registered in {@code META-INF/spring/aot.factories}.
 */
public final class WebPipeRuntimeHints implements RuntimeHintsRegistrar {

	/** jackson-jq's function classes, loaded with a {@code ServiceLoader}. */
	static final String JQ_FUNCTIONS = "META-INF/services/net.thisptr.jackson.jq.Function";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		ClassLoader loader = (classLoader != null) ? classLoader
				: Objects.requireNonNull(ClassUtils.getDefaultClassLoader());
		registerRoutes(hints);
		registerJq(hints, loader);
		registerLua(hints, loader);
		registerConfigBlocks(hints, loader);
	}

	/** The default {@code webpipe.routes-location} and {@code webpipe.lua.scripts-location}. */
	private static void registerRoutes(RuntimeHints hints) {
		hints.resources().registerPattern("routes/**/*.wp");
		hints.resources().registerPattern("routes/**/*.lua");
	}

	/** jackson-jq's builtin jq definitions, read with Jackson, and its function classes. */
	private static void registerJq(RuntimeHints hints, ClassLoader loader) {
		hints.resources().registerPattern("net/thisptr/jackson/jq/jq.json");
		hints.resources().registerPattern(JQ_FUNCTIONS);
		for (String name : new String[] { "net.thisptr.jackson.jq.internal.JqJson",
				"net.thisptr.jackson.jq.internal.JqJson$JqFuncDef" }) {
			hints.reflection().registerType(TypeReference.of(name), MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
					MemberCategory.ACCESS_DECLARED_FIELDS, MemberCategory.INVOKE_DECLARED_METHODS);
		}
		hints.reflection().registerType(TypeReference.of("net.thisptr.jackson.jq.internal.misc.VersionRangeDeserializer"),
				MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
		try (InputStream in = loader.getResourceAsStream(JQ_FUNCTIONS)) {
			if (in == null) {
				return;
			}
			for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
				String name = line.strip();
				if (!name.isEmpty() && !name.startsWith("#")) {
					hints.reflection().registerType(TypeReference.of(name), MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + JQ_FUNCTIONS, ex);
		}
	}

	/** LuaJ's library functions: {@code LibFunction.bind} creates them with {@code Class.newInstance()}. */
	private static void registerLua(RuntimeHints hints, ClassLoader loader) {
		if (!ClassUtils.isPresent("org.luaj.vm2.lib.LibFunction", loader)) {
			return;
		}
		for (Class<?> type : scan("org.luaj.vm2.lib", ClassUtils.resolveClassName("org.luaj.vm2.lib.LibFunction", loader),
				loader)) {
			if (!type.getPackageName().startsWith("org.luaj.vm2.lib.jse")) {
				hints.reflection().registerType(type, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
			}
		}
	}

	/** The types the built-in middleware's {@code config} blocks bind to, read by Jackson. */
	private static void registerConfigBlocks(RuntimeHints hints, ClassLoader loader) {
		BindingReflectionHintsRegistrar binding = new BindingReflectionHintsRegistrar();
		for (Class<?> middleware : scan("dev.webpipe.middleware", Middleware.class, loader)) {
			ReflectionUtils.doWithLocalFields(middleware, (field) -> {
				if (Modifier.isStatic(field.getModifiers()) && ConfigBlock.class.isAssignableFrom(field.getType())) {
					binding.registerReflectionHints(hints.reflection(), block(field).type());
				}
			});
		}
	}

	private static ConfigBlock<?> block(Field field) {
		ReflectionUtils.makeAccessible(field);
		return (ConfigBlock<?>) Objects.requireNonNull(ReflectionUtils.getField(field, null), field.getName());
	}

	private static List<Class<?>> scan(String basePackage, Class<?> supertype, ClassLoader loader) {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.setResourceLoader(new DefaultResourceLoader(loader));
		scanner.addIncludeFilter(new AssignableTypeFilter(supertype));
		List<Class<?>> types = new ArrayList<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
			types.add(ClassUtils.resolveClassName(Objects.requireNonNull(candidate.getBeanClassName()), loader));
		}
		return types;
	}

}
