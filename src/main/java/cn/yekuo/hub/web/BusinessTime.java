package cn.yekuo.hub.web;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;

/**
 * Every time the dashboard shows, in the business zone ({@code yk.business-zone}) whatever offset the value carries
 * (the database gives UTC): templates call {@code ${@businessTime.minute(t)}}, and the page header names the zone once.
 */
@Component("businessTime")
public class BusinessTime {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final String NONE = "—";

    private final ZoneId zone;
    private final Clock clock;

    public BusinessTime(HubProperties hub, Clock clock) {
        this.zone = hub.businessZone();
        this.clock = clock;
    }

    /** {@code 2026-12-05 05:17}; a dash for none. */
    public String minute(OffsetDateTime t) {
        return t == null ? NONE : t.atZoneSameInstant(zone).format(MINUTE);
    }

    /** {@code 2026-12-05}; a dash for none. */
    public String day(OffsetDateTime t) {
        return t == null ? NONE : t.atZoneSameInstant(zone).format(DAY);
    }

    /** ISO-8601 with the business zone's offset, for the {@code datetime} attribute of {@code <time>}. */
    public String iso(OffsetDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZoneSameInstant(zone).toOffsetDateTime());
    }

    /** Whether two times show differently to the minute (a timeline entry recorded later than it happened). */
    public boolean differ(OffsetDateTime a, OffsetDateTime b) {
        return a != null && b != null && !minute(a).equals(minute(b));
    }

    /** The zone as the page names it: {@code Asia/Shanghai (UTC+08:00)}, with today's offset. */
    public String zone() {
        String offset = zone.getRules().getOffset(clock.instant()).getId();
        return zone.getId() + " (UTC" + ("Z".equals(offset) ? "+00:00" : offset) + ")";
    }

}
