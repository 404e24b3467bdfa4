package dev.webpipe.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.compile.ProgramHolder;
import dev.webpipe.compile.ProgramHolder.ReloadOutcome;
import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.LoadException;
import dev.webpipe.middleware.Errors;

/**
 * Hot reload (docs/reload.md): watches the folders of the {@code file:} routes locations and of a {@code file:}
 * Lua scripts location with a {@link WatchService}, waits until they have been quiet for
 * {@code webpipe.reload.debounce}, then reads and compiles the whole program again on a worker of
 * {@link Schedulers#boundedElastic()} (never on the event loop or a request's thread). A program that compiles
 * replaces the one serving through the {@link ProgramHolder}; one that does not leaves it serving, and its
 * diagnostics are logged as at start-up and reported by {@code /actuator/webpipe} and health.
 */
public final class WebPipeReloader implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(WebPipeReloader.class);

	private final ProgramHolder holder;

	private final Supplier<CompiledProgram> load;

	private final List<Path> folders;

	private final Duration debounce;

	private final Scheduler scheduler;

	private final AtomicBoolean pending = new AtomicBoolean();

	private final AtomicBoolean reloading = new AtomicBoolean();

	private final Map<WatchKey, Path> keys = new HashMap<>();

	private volatile @Nullable WatchService watchService;

	private volatile @Nullable Thread watcher;

	private volatile boolean running;

	/**
	 * @param holder the program now serving
	 * @param load reads and compiles the program (throws what start-up would)
	 * @param folders the folders to watch (each with every folder below it)
	 * @param debounce how long the folders must stay quiet before a reload
	 */
	WebPipeReloader(ProgramHolder holder, Supplier<CompiledProgram> load, List<Path> folders, Duration debounce) {
		this.holder = holder;
		this.load = load;
		this.folders = List.copyOf(folders);
		this.debounce = debounce;
		this.scheduler = Schedulers.boundedElastic();
	}

	/**
	 * The folders of the locations that are {@code file:} folders on this machine: for a location ending in
	 * {@code /}, the folder itself; for a pattern, the folder before its first wildcard. Class path locations are
	 * not watched.
	 */
	static List<Path> folders(ResourcePatternResolver resolver, List<String> locations) {
		Set<Path> folders = new LinkedHashSet<>();
		for (String location : locations) {
			if (location == null || !location.trim().startsWith("file:")) {
				continue;
			}
			String root = RouteSources.rootDir(RouteSources.pattern(location));
			try {
				Resource resource = resolver.getResource(root);
				File file = resource.getFile();
				if (file.isDirectory()) {
					folders.add(file.toPath().toAbsolutePath().normalize());
				}
			}
			catch (IOException ex) {
				logger.debug("Not watching " + location + ": " + ex.getMessage());
			}
		}
		return new ArrayList<>(folders);
	}

	/** The watched folders. */
	List<Path> folders() {
		return this.folders;
	}

	@Override
	public void start() {
		if (this.folders.isEmpty()) {
			logger.warn("webpipe.reload.enabled is set, but no routes or Lua scripts location is a file: folder: "
					+ "nothing is watched (docs/reload.md)");
			this.running = true;
			return;
		}
		WatchService service;
		try {
			service = FileSystems.getDefault().newWatchService();
			this.watchService = service;
			for (Path folder : this.folders) {
				registerTree(service, folder);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot watch the .wp folders " + this.folders, ex);
		}
		Thread thread = new Thread(() -> watch(service), "webpipe-reload");
		thread.setDaemon(true);
		this.watcher = thread;
		this.running = true;
		thread.start();
		logger.info("WebPipe reloads the program when files change in " + this.folders);
	}

	@Override
	public void stop() {
		this.running = false;
		WatchService service = this.watchService;
		if (service != null) {
			try {
				service.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
		Thread thread = this.watcher;
		if (thread != null) {
			thread.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void registerTree(WatchService service, Path folder) throws IOException {
		try (Stream<Path> tree = Files.walk(folder)) {
			for (Path path : (Iterable<Path>) tree.filter(Files::isDirectory)::iterator) {
				WatchKey key = path.register(service, StandardWatchEventKinds.ENTRY_CREATE,
						StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
				synchronized (this.keys) {
					this.keys.put(key, path);
				}
			}
		}
	}

	/** The watching thread: a change, then quiet for the debounce, then one reload. */
	private void watch(WatchService service) {
		try {
			while (this.running) {
				WatchKey key = service.take();
				boolean changed = handle(service, key);
				long quietNanos = this.debounce.toNanos();
				while ((key = service.poll(quietNanos, TimeUnit.NANOSECONDS)) != null) {
					changed |= handle(service, key);
				}
				if (changed) {
					requestReload();
				}
			}
		}
		catch (InterruptedException | ClosedWatchServiceException ex) {
			// stopped
		}
	}

	/** Whether the events of a key concern program files; registers new folders. */
	private boolean handle(WatchService service, WatchKey key) {
		Path folder;
		synchronized (this.keys) {
			folder = this.keys.get(key);
		}
		boolean changed = false;
		for (WatchEvent<?> event : key.pollEvents()) {
			if (event.kind() == StandardWatchEventKinds.OVERFLOW || folder == null) {
				changed = true;
				continue;
			}
			Path path = folder.resolve((Path) event.context());
			String name = path.getFileName().toString();
			if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(path)) {
				try {
					registerTree(service, path);
				}
				catch (IOException ex) {
					logger.warn("Cannot watch the new folder " + path + ": " + ex.getMessage());
				}
				changed = true;
			}
			else if (name.endsWith(".wp") || name.endsWith(".lua")
					|| (event.kind() == StandardWatchEventKinds.ENTRY_DELETE && !name.contains("."))) {
				changed = true;
			}
		}
		if (!key.reset()) {
			synchronized (this.keys) {
				this.keys.remove(key);
			}
		}
		return changed;
	}

	/** Reloads on a worker; a change during a reload makes one more reload after it. */
	void requestReload() {
		this.pending.set(true);
		if (this.reloading.compareAndSet(false, true)) {
			this.scheduler.schedule(this::reloadPending);
		}
	}

	private void reloadPending() {
		try {
			while (this.pending.getAndSet(false)) {
				reload();
			}
		}
		finally {
			this.reloading.set(false);
		}
		if (this.pending.get() && this.reloading.compareAndSet(false, true)) {
			this.scheduler.schedule(this::reloadPending);
		}
	}

	/**
	 * Reads and compiles the program now and, when it compiles, serves it.
	 * @return what the reload reports
	 */
	ReloadOutcome reload() {
		long start = System.nanoTime();
		try {
			CompiledProgram program = this.load.get();
			ReloadOutcome outcome = ReloadOutcome.loaded(Instant.now(), millisSince(start), program);
			ProgramHolder.Loaded loaded = this.holder.replace(program, outcome);
			logger.info("WebPipe reloaded the program in " + outcome.tookMillis() + " ms: " + loaded);
			return outcome;
		}
		catch (LoadException ex) {
			logger.error("WebPipe could not reload the .wp files; the previous program keeps serving. "
					+ ex.getMessage());
			return failed(start, ex.errors().stream().map(Diagnostic::render).toList());
		}
		catch (RuntimeException ex) {
			logger.error("WebPipe could not reload the program; the previous program keeps serving. "
					+ Errors.plainMessage(ex), ex);
			return failed(start, List.of(Errors.plainMessage(ex)));
		}
	}

	private ReloadOutcome failed(long start, List<String> errors) {
		ReloadOutcome outcome = ReloadOutcome.failed(Instant.now(), millisSince(start), this.holder.program(), errors);
		this.holder.failed(outcome);
		return outcome;
	}

	private static long millisSince(long start) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

}
