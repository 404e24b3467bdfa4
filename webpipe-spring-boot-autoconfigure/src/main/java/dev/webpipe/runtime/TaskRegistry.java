package dev.webpipe.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The tasks of one request (or of one {@code @async} pipeline call, which gets a child
 * registry) that are started and not yet joined (docs/concurrency.md#tasks-that-are-never-joined). Used by the main
 * pipeline only, one step at a time.
 */
final class TaskRegistry {

	/** Created at the first task: most requests start none (docs/performance.md#third-profile). */
	private @Nullable Map<String, Task> tasks;

	@Nullable Task get(String name) {
		return (this.tasks != null) ? this.tasks.get(name) : null;
	}

	void register(Task task) {
		if (this.tasks == null) {
			this.tasks = new LinkedHashMap<>();
		}
		this.tasks.put(task.name(), task);
	}

	void remove(String name) {
		if (this.tasks != null) {
			this.tasks.remove(name);
		}
	}

	/** Removes and returns the tasks that a join of the route would wait for. */
	List<Task> drainJoinable() {
		if (this.tasks == null || this.tasks.isEmpty()) {
			return List.of();
		}
		List<Task> joinable = new ArrayList<>();
		this.tasks.values().removeIf((task) -> task.joinable() && joinable.add(task));
		return joinable;
	}

	/** Removes and returns every task still registered. */
	List<Task> drain() {
		if (this.tasks == null || this.tasks.isEmpty()) {
			return List.of();
		}
		List<Task> remaining = new ArrayList<>(this.tasks.values());
		this.tasks.clear();
		return remaining;
	}

}
