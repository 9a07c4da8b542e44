package cn.yekuo.hub.queries;

import java.time.OffsetDateTime;

/** Where a running utility clock stands: the colour of its due date on the dashboard. */
public enum DueStatus {
    ON_TIME, WARNING, OVERDUE, PAUSED, NONE;

    static DueStatus of(boolean hasNode, OffsetDateTime dueAt, OffsetDateTime warningAt, OffsetDateTime missedAt,
                        OffsetDateTime now) {
        if (!hasNode) {
            return NONE;
        }
        if (missedAt != null || (dueAt != null && dueAt.isBefore(now))) {
            return OVERDUE;
        }
        if (dueAt == null) {
            return PAUSED; // the customer is being waited for: the due date is unknown until resumed
        }
        return warningAt != null && !warningAt.isAfter(now) ? WARNING : ON_TIME;
    }
}
