package cn.yekuo.hub.replies;

import java.time.Duration;
import java.time.OffsetDateTime;

/** One sender's forged tokens reached the alert threshold within the window (published once per window). */
public record ForgeriesRepeated(String mailKey, String sender, int count, Duration window, OffsetDateTime at) {
}
