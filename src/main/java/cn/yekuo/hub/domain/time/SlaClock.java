package cn.yekuo.hub.domain.time;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/** Computes the deadline of a node from its rule, its business start time and the customer's pauses. */
public final class SlaClock {

    private final WorkingCalendar calendar;
    private final ZoneId zone;

    /** @param zone the business time zone days are counted in (docs/contract.md §1, {@code yk.business-zone}) */
    public SlaClock(WorkingCalendar calendar, ZoneId zone) {
        this.calendar = Objects.requireNonNull(calendar, "calendar");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** The deadline of a node that started at {@code startedAt} and has not been paused. */
    public Deadline deadline(TimeLimitRule rule, OffsetDateTime startedAt) {
        return deadline(rule, startedAt, List.of());
    }

    /** The deadline of a node that started at {@code startedAt}, with the customer's waits in any order. */
    public Deadline deadline(TimeLimitRule rule, OffsetDateTime startedAt, List<Pause> pauses) {
        return new Deadline(calendar, zone, rule, startedAt, pauses);
    }

    public WorkingCalendar calendar() {
        return calendar;
    }

    /** The business time zone of the day boundaries. */
    public ZoneId zone() {
        return zone;
    }
}
