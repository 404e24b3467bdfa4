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

	private final Map<String, Task> tasks = new LinkedHashMap<>();

	@Nullable Task get(String name) {
		return this.tasks.get(name);
	}

	void register(Task task) {
		this.tasks.put(task.name(), task);
	}

	void remove(String name) {
		this.tasks.remove(name);
	}

	/** Removes and returns the tasks that a join of the route would wait for. */
	List<Task> drainJoinable() {
		List<Task> joinable = new ArrayList<>();
		this.tasks.values().removeIf((task) -> task.joinable() && joinable.add(task));
		return joinable;
	}

	/** Removes and returns every task still registered. */
	List<Task> drain() {
		List<Task> remaining = new ArrayList<>(this.tasks.values());
		this.tasks.clear();
		return remaining;
	}

}
