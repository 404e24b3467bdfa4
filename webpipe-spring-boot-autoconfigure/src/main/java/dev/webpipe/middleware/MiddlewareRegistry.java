package dev.webpipe.middleware;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.webpipe.language.Keywords;

/**
 * The middleware known to a program, by name: the built-ins, replaced by application middleware
 * of the same name.
 */
public final class MiddlewareRegistry {

	private static final Logger logger = LoggerFactory.getLogger(MiddlewareRegistry.class);

	/**
	 * Words that cannot name a middleware: the keywords of the language and the step names the
	 * compiler handles itself (docs/language.md#identifiers-and-keywords).
	 */
	public static final Set<String> RESERVED = reserved();

	private final Map<String, Middleware> middleware;

	private final Map<String, ConfigBlock<?>> configBlocks;

	private final boolean partial;

	private static Set<String> reserved() {
		Set<String> reserved = new HashSet<>(Keywords.ALL);
		reserved.addAll(List.of("join", "loader"));
		return Set.copyOf(reserved);
	}

	private MiddlewareRegistry(Map<String, Middleware> middleware, boolean partial) {
		this.middleware = Map.copyOf(middleware);
		this.partial = partial;
		Map<String, ConfigBlock<?>> blocks = new LinkedHashMap<>();
		Map<String, String> declaredBy = new LinkedHashMap<>();
		middleware.values().forEach((candidate) -> {
			ConfigBlock<?> block = candidate.configBlock();
			if (block == null) {
				return;
			}
			ConfigBlock<?> previous = blocks.putIfAbsent(block.name(), block);
			if (previous != null && !previous.equals(block)) {
				throw new IllegalStateException("middleware '" + candidate.name() + "' and '"
						+ declaredBy.get(block.name()) + "' declare config " + block.name() + " with different types");
			}
			declaredBy.putIfAbsent(block.name(), candidate.name());
		});
		this.configBlocks = Map.copyOf(blocks);
	}

	/**
	 * A registry of built-ins and application middleware.
	 * @param builtins the built-in middleware
	 * @param application application middleware by bean name; names must be unique (see
	 * {@link DuplicateMiddlewareException})
	 */
	public static MiddlewareRegistry of(Collection<? extends Middleware> builtins,
			Map<String, ? extends Middleware> application) {
		Map<String, Middleware> byName = new LinkedHashMap<>();
		for (Middleware builtin : builtins) {
			byName.put(builtin.name(), builtin);
		}
		Map<String, String> beanByName = new LinkedHashMap<>();
		application.forEach((beanName, candidate) -> {
			String name = candidate.name();
			if (RESERVED.contains(name)) {
				throw new ReservedMiddlewareNameException(name, beanName);
			}
			String previous = beanByName.put(name, beanName);
			if (previous != null) {
				throw new DuplicateMiddlewareException(name, previous, beanName);
			}
			if (byName.containsKey(name)) {
				logger.info("Middleware bean '{}' replaces the built-in middleware '{}'", beanName, name);
			}
			byName.put(name, candidate);
		});
		return new MiddlewareRegistry(byName, false);
	}

	/**
	 * A registry that knows only some of the program's middleware: the ones that need no bean, for the check of the
	 * {@code .wp} files before the application context starts (docs/configuration.md#early-check). A compiler given
	 * it takes every other name for middleware it does not know yet, and reports only what is certain.
	 */
	public static MiddlewareRegistry partial(Collection<? extends Middleware> known) {
		Map<String, Middleware> byName = new LinkedHashMap<>();
		for (Middleware middleware : known) {
			byName.put(middleware.name(), middleware);
		}
		return new MiddlewareRegistry(byName, true);
	}

	/** Whether this registry knows only some middleware ({@link #partial(Collection)}). */
	public boolean isPartial() {
		return this.partial;
	}

	public Optional<Middleware> find(String name) {
		return Optional.ofNullable(this.middleware.get(name));
	}

	public boolean contains(String name) {
		return this.middleware.containsKey(name);
	}

	public Set<String> names() {
		return this.middleware.keySet();
	}

	/** The registered middleware. */
	public Collection<Middleware> all() {
		return this.middleware.values();
	}

	/** The config blocks the registered middleware declare, by block name. */
	public Map<String, ConfigBlock<?>> configBlocks() {
		return this.configBlocks;
	}

}
