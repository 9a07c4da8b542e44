package cn.yekuo.hub.domain.time;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/** Computes the deadline of a node from its rule, its business start time and the customer's pauses. */
public final class SlaClock {

    /** Days are counted in the hub's business time zone (docs/contract.md §1). */
    public static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Shanghai");

    private final WorkingCalendar calendar;

    public SlaClock(WorkingCalendar calendar) {
        this.calendar = Objects.requireNonNull(calendar, "calendar");
    }

    /** The deadline of a node that started at {@code startedAt} and has not been paused. */
    public Deadline deadline(TimeLimitRule rule, OffsetDateTime startedAt) {
        return deadline(rule, startedAt, List.of());
    }

    /** The deadline of a node that started at {@code startedAt}, with the customer's waits in any order. */
    public Deadline deadline(TimeLimitRule rule, OffsetDateTime startedAt, List<Pause> pauses) {
        return new Deadline(calendar, rule, startedAt, pauses);
    }

    public WorkingCalendar calendar() {
        return calendar;
    }
}
