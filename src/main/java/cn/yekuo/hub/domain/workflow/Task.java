package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.Unit;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A hand-off task of a case. {@code no} is the Tn number (1, 2, … in creation order within the
 * case, never reused). {@code closedAt} and {@code result} are null while the task is open;
 * {@code closedAt} is the cancellation time for a cancelled task. {@code fields} are the reply's
 * {@code key: value} lines (English keys), empty while open.
 */
public record Task(int no, TaskKind kind, TaskStatus status, OffsetDateTime openedAt,
                   OffsetDateTime closedAt, TaskResult result, Map<String, String> fields) {

    public Task {
        if (no < 1) {
            throw new IllegalArgumentException("task numbers start at 1: " + no);
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(openedAt, "openedAt");
        fields = copy(fields);
    }

    static Task open(int no, TaskKind kind, OffsetDateTime at) {
        return new Task(no, kind, TaskStatus.OPEN, at, null, null, Map.of());
    }

    /** "T3". */
    public String token() {
        return "T" + no;
    }

    public Unit unit() {
        return kind.unit();
    }

    public boolean isOpen() {
        return status == TaskStatus.OPEN;
    }

    /** Closed with exactly this result. */
    public boolean closedWith(TaskResult expected) {
        return status == TaskStatus.CLOSED && result == expected;
    }

    Task close(TaskResult result, Map<String, String> fields, OffsetDateTime at) {
        return new Task(no, kind, TaskStatus.CLOSED, openedAt, at, result, fields);
    }

    Task cancel(OffsetDateTime at) {
        return new Task(no, kind, TaskStatus.CANCELLED, openedAt, at, null, fields);
    }

    static Map<String, String> copy(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "field key"), Objects.requireNonNull(v, "value of " + k)));
        return Collections.unmodifiableMap(copy);
    }
}
