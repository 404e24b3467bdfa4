package dev.webpipe.middleware;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * A {@code config <name> { … }} block that a middleware reads, with the type its values bind to
 * (docs/extending.md#the-middleware). The block's keys are the type's properties (a record's
 * components): a key the type does not have is a load-time error at the key, and so is a value
 * that does not convert. The type binds once at load time, from the merged blocks of the files
 * and the {@code webpipe.config.<block>.<key>} properties; a record applies its defaults and
 * checks its values in its constructor (an {@link IllegalArgumentException} there becomes the
 * diagnostic).
 * <p>
 * Block and key names of properties are matched in Spring's relaxed form: case, dashes and
 * underscores do not count, so {@code WEBPIPE_CONFIG_RATELIMIT_MAXENTRIES} and
 * {@code webpipe.config.rate-limit.max-entries} both set {@code maxEntries} of {@code config rateLimit}.
 *
 * @param <T> the type of the bound values
 */
public final class ConfigBlock<T> {

	private final String name;

	private final Class<T> type;

	private volatile @Nullable Set<String> keys;

	private ConfigBlock(String name, Class<T> type) {
		this.name = name;
		this.type = type;
	}

	/**
	 * A block and the type its values bind to.
	 * @param name the block's name in {@code .wp} files, e.g. {@code pg}
	 * @param type a record or class Jackson can bind from a JSON object; it must bind from an
	 * empty block (its defaults)
	 */
	public static <T> ConfigBlock<T> of(String name, Class<T> type) {
		if (name.isBlank()) {
			throw new IllegalArgumentException("a config block needs a name");
		}
		return new ConfigBlock<>(name, Objects.requireNonNull(type, "type"));
	}

	/** The block's name as written in {@code .wp} files. */
	public String name() {
		return this.name;
	}

	/** The type the block's values bind to. */
	public Class<T> type() {
		return this.type;
	}

	/** The keys the block accepts: the type's properties, in declaration order. */
	public Set<String> keys() {
		Set<String> known = this.keys;
		if (known == null) {
			BeanDescription description = Json.describeType(this.type);
			known = new LinkedHashSet<>();
			for (BeanPropertyDefinition property : description.findProperties()) {
				known.add(property.getName());
			}
			known = java.util.Collections.unmodifiableSet(known);
			this.keys = known;
		}
		return known;
	}

	/** The declared key that {@code key} names in the relaxed form, or {@code null}. */
	public @Nullable String key(String key) {
		String relaxed = relaxed(key);
		for (String declared : keys()) {
			if (relaxed(declared).equals(relaxed)) {
				return declared;
			}
		}
		return null;
	}

	/** Whether {@code name} names this block in the relaxed form. */
	public boolean isNamed(String name) {
		return relaxed(this.name).equals(relaxed(name));
	}

	/**
	 * Binds the block's values.
	 * @throws InvalidConfigException naming the offending key where there is one
	 */
	public T bind(ObjectNode values) throws InvalidConfigException {
		ObjectReader reader = Json.readerFor(this.type)
			.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
		try {
			T bound = reader.readValue(values);
			if (bound == null) {
				throw new InvalidConfigException(null, "config " + this.name + " has no values");
			}
			return bound;
		}
		catch (UnrecognizedPropertyException ex) {
			throw new InvalidConfigException(ex.getPropertyName(), "unknown key '" + ex.getPropertyName()
					+ "' in config " + this.name + " (known keys: " + String.join(", ", keys()) + ")");
		}
		catch (ValueInstantiationException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			String key = (cause instanceof InvalidValueException invalid) ? key(invalid.key()) : null;
			throw new InvalidConfigException(key, "config " + this.name + ": " + Errors.plainMessage(cause));
		}
		catch (MismatchedInputException ex) {
			String key = lastKey(ex);
			Object value = (ex instanceof InvalidFormatException format) ? format.getValue() : null;
			String got = (value != null) ? ", got '" + value + "'" : "";
			throw new InvalidConfigException(key, "config " + this.name + " " + ((key != null) ? key : "")
					+ " must be " + describe(ex.getTargetType()) + got);
		}
		catch (java.io.IOException ex) {
			throw new InvalidConfigException(lastKey(ex), "config " + this.name + ": " + Errors.plainMessage(ex));
		}
	}

	private static @Nullable String lastKey(java.io.IOException ex) {
		if (ex instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
			return mapping.getPath().get(mapping.getPath().size() - 1).getFieldName();
		}
		return null;
	}

	private static String describe(@Nullable Class<?> target) {
		if (target == null) {
			return "a value of another kind";
		}
		if (target == Integer.class || target == int.class || target == Long.class || target == long.class
				|| target == Short.class || target == short.class) {
			return "a whole number";
		}
		if (target == Boolean.class || target == boolean.class) {
			return "true or false";
		}
		if (Number.class.isAssignableFrom(target) || target == double.class || target == float.class) {
			return "a number";
		}
		if (target == String.class) {
			return "a string";
		}
		if (target.isEnum()) {
			StringBuilder names = new StringBuilder();
			for (Object constant : target.getEnumConstants()) {
				names.append((names.length() == 0) ? "" : ", ").append(constant);
			}
			return "one of " + names;
		}
		return "a value of another kind";
	}

	/** Lower case without dashes and underscores: the form in which Spring's relaxed names compare. */
	static String relaxed(String name) {
		StringBuilder out = new StringBuilder(name.length());
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c != '-' && c != '_') {
				out.append(c);
			}
		}
		return out.toString().toLowerCase(Locale.ROOT);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof ConfigBlock<?> block && block.name.equals(this.name) && block.type.equals(this.type);
	}

	@Override
	public int hashCode() {
		return this.name.hashCode() * 31 + this.type.hashCode();
	}

	@Override
	public String toString() {
		return "config " + this.name + " (" + this.type.getSimpleName() + ")";
	}

	/**
	 * Thrown by the constructor (or {@code @JsonCreator} factory) of a block's type for the value
	 * of one key: the load reports it at that key, as {@code config <block>: <message>}, where an
	 * {@link IllegalArgumentException} is reported at the block (docs/extending.md#the-middleware).
	 */
	public static final class InvalidValueException extends IllegalArgumentException {

		private final String key;

		/**
		 * @param key the offending key as the type declares it
		 * @param message what is wrong with its value, plain text
		 */
		public InvalidValueException(String key, String message) {
			super(message);
			this.key = key;
		}

		/** The offending key as the type declares it. */
		public String key() {
			return this.key;
		}

	}

	/** A block's values do not bind: the message is plain text for the diagnostic. */
	public static final class InvalidConfigException extends Exception {

		private final @Nullable String key;

		public InvalidConfigException(@Nullable String key, String message) {
			super(message, null, false, false);
			this.key = key;
		}

		/** What is wrong, plain text: never {@code null}, as the constructor takes it. */
		@Override
		public String getMessage() {
			return Objects.requireNonNull(super.getMessage());
		}

		/** The offending key as declared, or {@code null} when the block as a whole is wrong. */
		public @Nullable String key() {
			return this.key;
		}

	}

}
