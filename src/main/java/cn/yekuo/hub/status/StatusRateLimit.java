package cn.yekuo.hub.status;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per client address and minute to the status page (a fixed one-minute window per address). Hand-written:
 * no rate-limit library is on the classpath, and a count and a window start per address is all it takes.
 */
public class StatusRateLimit {

    /** Addresses kept at most: beyond this, the windows that ended are dropped first. */
    static final int MAX_ADDRESSES = 10_000;
    private static final long WINDOW_MILLIS = Duration.ofMinutes(1).toMillis();

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long start, int count) {
    }

    public StatusRateLimit(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Counts a request from {@code address}: empty when it may go ahead, else how long until its window ends. */
    public Optional<Duration> acquire(String address) {
        long now = clock.millis();
        if (windows.size() >= MAX_ADDRESSES && !windows.containsKey(address)) {
            windows.values().removeIf(w -> now - w.start() >= WINDOW_MILLIS);
        }
        Window w = windows.compute(address, (a, old) -> old == null || now - old.start() >= WINDOW_MILLIS
                ? new Window(now, 1) : new Window(old.start(), old.count() + 1));
        if (w.count() <= perMinute) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.max(1, w.start() + WINDOW_MILLIS - now)));
    }

    /** Forgets every count (tests that share one hub and one client address). */
    public void reset() {
        windows.clear();
    }
}
