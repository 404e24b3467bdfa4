package dev.webpipe.middleware.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

import dev.webpipe.middleware.ConfigBlock;
import dev.webpipe.middleware.Behavior;
import dev.webpipe.middleware.ExecutableStep;
import dev.webpipe.middleware.InvalidStepException;
import dev.webpipe.middleware.Middleware;
import dev.webpipe.middleware.StepDefinition;
import dev.webpipe.middleware.StepInput;
import dev.webpipe.middleware.StepResult;
import dev.webpipe.middleware.Errors;
import dev.webpipe.middleware.Json;
import dev.webpipe.middleware.store.ConfigPairs;
import dev.webpipe.middleware.store.KeyTemplate;
import dev.webpipe.middleware.store.StoreFailures;
import dev.webpipe.runtime.Monos;

/**
 * {@code |> cache: "ttl: 60, keyTemplate: user-{params.id}"} (docs/middleware/cache.md): a fresh entry, or a
 * stale one while another request refreshes it, ends the pipeline run with the cached state, status and
 * content type; otherwise the run continues and its final state is stored when it ends, unless it carries a
 * typed error or a status of 500 or more. A stale entry is refreshed by exactly one request at a time (the
 * store's refresher slot). The state is unchanged (a ReadOnly step); sets {@code $context.cache}. When the store
 * fails (docs/scaling.md#when-redis-goes-away), the request runs as a miss that stores nothing, and the failure
 * is counted and logged by {@link StoreFailures}.
 */
public final class CacheMiddleware implements Middleware {

	/** How long a refresher keeps its slot before another stale request takes over. */
	static final Duration REFRESH_HOLD = Duration.ofSeconds(30);

	private final CacheStore store;

	private final InstantSource clock;

	private final StoreFailures failures;

	/**
	 * @param store where entries and refresher slots live
	 * @param clock the time that decides freshness
	 */
	public CacheMiddleware(CacheStore store, InstantSource clock) {
		this(store, clock, new StoreFailures(false));
	}

	/**
	 * @param store where entries and refresher slots live
	 * @param clock the time that decides freshness
	 * @param failures where failed store calls are counted and logged
	 */
	public CacheMiddleware(CacheStore store, InstantSource clock, StoreFailures failures) {
		this.store = store;
		this.clock = clock;
		this.failures = failures;
	}

	@Override
	public String name() {
		return "cache";
	}

	private static final ConfigBlock<CacheSettings> CONFIG = ConfigBlock.of("cache", CacheSettings.class);

	@Override
	public ConfigBlock<?> configBlock() {
		return CONFIG;
	}

	@Override
	public Behavior behavior() {
		return Behavior.READ_ONLY;
	}

	@Override
	public int maxInlineArguments() {
		return 1;
	}

	@Override
	public ExecutableStep compile(StepDefinition definition) throws InvalidStepException {
		CacheSettings settings = definition.settings(CONFIG);
		this.store.setMaximumSize(settings.maxCacheSize());
		Options options;
		try {
			options = Options.of(ConfigPairs.parse("cache", definition.config()), settings, null);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidStepException("cache: " + ex.getMessage());
		}
		MessageDigest identity = digest();
		identity.update((definition.location().withColumn() + "#0\n" + definition.config() + "\n")
			.getBytes(StandardCharsets.UTF_8));
		return new Step(options, settings, identity);
	}

	/** What one step does (config string, or inline argument 0 over it). */
	private record Options(boolean enabled, long ttl, @Nullable KeyTemplate keyTemplate, ObjectNode metadata) {

		static Options of(JsonNode pairs, CacheSettings settings, @Nullable Options base) {
			boolean enabled = settings.enabled()
					&& ConfigPairs.bool(pairs.get("enabled"), "enabled", (base == null) || base.enabled());
			long ttl = (base != null) ? base.ttl() : settings.defaultTtl();
			if (pairs.hasNonNull("ttl")) {
				Long seconds = ConfigPairs.seconds(pairs.get("ttl"));
				if (seconds == null) {
					throw new IllegalArgumentException("invalid ttl '" + pairs.get("ttl").asText()
							+ "' (seconds, 0 = never store)");
				}
				ttl = seconds;
			}
			KeyTemplate template = (base != null) ? base.keyTemplate() : null;
			if (pairs.hasNonNull("keyTemplate")) {
				JsonNode value = pairs.get("keyTemplate");
				template = KeyTemplate.compile(value.isTextual() ? value.textValue() : Json.write(value), "", "");
			}
			ObjectNode metadata = Json.NODES.objectNode();
			metadata.put("enabled", enabled);
			metadata.put("ttl", ttl);
			if (template != null) {
				metadata.put("key_template", template.source());
			}
			else {
				metadata.putNull("key_template");
			}
			return new Options(enabled, ttl, template, metadata);
		}

	}

	private final class Step implements ExecutableStep {

		private final Options options;

		private final CacheSettings settings;

		private final MessageDigest identity;

		Step(Options options, CacheSettings settings, MessageDigest identity) {
			this.options = options;
			this.settings = settings;
			this.identity = identity;
		}

		@Override
		public Mono<StepResult> execute(StepInput input) {
			JsonNode state = input.state();
			Options options = this.options;
			JsonNode argument = input.argument(0);
			if (argument != null && !argument.isNull()) {
				if (!argument.isObject()) {
					throw new IllegalArgumentException("cache: the inline argument must be an object, not "
							+ argument.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
				}
				options = Options.of(argument, this.settings, options);
			}
			input.context().putMetadata("cache", options.metadata());
			StepResult unchanged = StepResult.of(state);
			if (!options.enabled()) {
				return Mono.just(unchanged);
			}
			String key = (options.keyTemplate() != null) ? options.keyTemplate().render(state) : defaultKey(state);
			Options chosen = options;
			return then(CacheMiddleware.this.store.get(key), (entry) -> lookedUp(key, entry, chosen, unchanged),
					(ex) -> failed("cache lookup", ex, unchanged));
		}

		/** The store failed: a miss that stores nothing (docs/scaling.md#when-redis-goes-away). */
		private Mono<StepResult> failed(String operation, Throwable error, StepResult unchanged) {
			CacheMiddleware.this.failures.record(operation, error);
			return Mono.just(unchanged);
		}

		private Mono<StepResult> lookedUp(String key, @Nullable CacheEntry entry, Options options,
				StepResult unchanged) {
			Instant now = CacheMiddleware.this.clock.instant();
			if (entry == null || !now.isBefore(entry.staleUntil())) {
				return Mono.just(miss(key, options, unchanged, false));
			}
			if (now.isBefore(entry.freshUntil())) {
				return Mono.just(hit(entry));
			}
			return then(CacheMiddleware.this.store.tryRefresh(key, REFRESH_HOLD),
					(refresher) -> Mono.just(Boolean.TRUE.equals(refresher) ? miss(key, options, unchanged, true)
							: hit(entry)),
					(ex) -> failed("cache refresher slot", ex, unchanged));
		}

		private StepResult hit(CacheEntry entry) {
			return new StepResult(entry.state(), null, entry.status(), entry.contentType(), true);
		}

		private StepResult miss(String key, Options options, StepResult unchanged, boolean refresher) {
			if (options.ttl() <= 0 && !refresher) {
				return unchanged;
			}
			return unchanged.whenRunEnds((state, status, contentType) -> {
				Mono<Void> release = refresher ? Mono.defer(() -> CacheMiddleware.this.store.releaseRefresh(key))
					.onErrorResume((ex) -> {
						CacheMiddleware.this.failures.record("cache refresher slot", ex);
						return Mono.empty();
					}) : Mono.empty();
				if (options.ttl() <= 0 || !storable(state, status)) {
					return release;
				}
				String text = Json.write(state);
				if (text.length() > this.settings.maxEntrySize()) {
					return release;
				}
				Instant now = CacheMiddleware.this.clock.instant();
				Instant freshUntil = now.plusSeconds(options.ttl());
				CacheEntry entry = new CacheEntry(state, status, contentType, freshUntil,
						freshUntil.plusSeconds(this.settings.staleWhileRevalidate()), text.length());
				// a failed write is counted and logged, and the response goes out anyway; the slot then expires
				boolean[] written = { true };
				return CacheMiddleware.this.store.put(key, entry).onErrorResume((ex) -> {
					written[0] = false;
					CacheMiddleware.this.failures.record("cache write", ex);
					return Mono.empty();
				}).then(Mono.defer(() -> written[0] ? release : Mono.empty()));
			});
		}

		/** {@code pipeline:<hex>} of the step, its config, the method, path, query and params. */
		private String defaultKey(JsonNode state) {
			MessageDigest digest;
			try {
				digest = (MessageDigest) this.identity.clone();
			}
			catch (CloneNotSupportedException ex) {
				throw new IllegalStateException(ex);
			}
			StringBuilder request = new StringBuilder();
			request.append(state.path("method").asText()).append('\n').append(state.path("path").asText()).append('\n');
			request.append(json(state.get("query"))).append('\n').append(json(state.get("params")));
			byte[] hash = digest.digest(request.toString().getBytes(StandardCharsets.UTF_8));
			return "pipeline:" + HexFormat.of().formatHex(hash);
		}

	}

	/** Whether a run's final state may be stored: no typed error, and no status of 500 or more. */
	static boolean storable(JsonNode state, @Nullable Integer status) {
		if (Errors.hasTypedError(state) || (status != null && status >= 500)) {
			return false;
		}
		JsonNode shaped = state.get("status");
		return shaped == null || !shaped.isIntegralNumber() || shaped.intValue() < 500;
	}

	private static String json(@Nullable JsonNode node) {
		return (node == null) ? "null" : Json.write(node);
	}

	private static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Continues with the value of {@code mono} ({@code null} when empty), at once when it is already there, or
	 * with {@code failed} when {@code mono} fails (an error of {@code next} is not {@code failed}'s).
	 */
	@SuppressWarnings("unchecked")
	static <T, R> Mono<R> then(Mono<T> mono, Function<@Nullable T, Mono<R>> next,
			Function<Throwable, Mono<R>> failed) {
		if (mono instanceof Fuseable.ScalarCallable<?>) {
			return next.apply(Monos.now(mono));
		}
		return mono.<Object>map(java.util.Optional::of)
			.defaultIfEmpty(java.util.Optional.empty())
			.onErrorResume((ex) -> Mono.just(new Failure(ex)))
			.flatMap((value) -> (value instanceof Failure failure) ? failed.apply(failure.error())
					: next.apply(((java.util.Optional<T>) value).orElse(null)));
	}

	/** A store call's error, carried to the step of {@link #then}. */
	private record Failure(Throwable error) {
	}

}
