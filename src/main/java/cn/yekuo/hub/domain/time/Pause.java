package cn.yekuo.hub.domain.time;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A wait for the customer (materials, own works, signing, paying, arrears) that stops the clock.
 *
 * @param start when the wait began
 * @param end   when the customer's part was done; null while the wait is open
 */
public record Pause(OffsetDateTime start, OffsetDateTime end) {

    public Pause {
        Objects.requireNonNull(start, "start");
        if (end != null && end.isBefore(start)) {
            throw new IllegalArgumentException("pause ends (" + end + ") before it starts (" + start + ")");
        }
    }

    public static Pause open(OffsetDateTime start) {
        return new Pause(start, null);
    }

    public static Pause between(OffsetDateTime start, OffsetDateTime end) {
        return new Pause(Objects.requireNonNull(start, "start"), Objects.requireNonNull(end, "end"));
    }

    public boolean isOpen() {
        return end == null;
    }
}
