package cn.yekuo.hub.domain.workflow;

import java.time.OffsetDateTime;
import java.util.Objects;

/** The case is waiting for the customer since {@code since}: the utility's clocks are stopped. */
public record CustomerWait(String reason, OffsetDateTime since) {
    public CustomerWait {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
    }
}
