package cn.yekuo.hub.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import cn.yekuo.hub.config.HubProperties;

/**
 * Counts failed logins per user name and per client address (Spring Security's authentication events) and refuses
 * further attempts for a while once either has failed too often in the window. Hand-written: Spring Security has no
 * login throttle, and the counts are a few timestamps per key.
 */
public class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
    /** Keys kept at most (user names are attacker-chosen): beyond this, keys without a recent failure are dropped. */
    private static final int MAX_KEYS = 10_000;

    private final HubProperties.Security.LoginThrottle settings;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final Map<String, Instant> lockedUntil = new ConcurrentHashMap<>();

    public LoginThrottle(HubProperties.Security.LoginThrottle settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** How long a login attempt as {@code user} from {@code address} must wait, or empty when it may go ahead. */
    public Optional<Duration> retryAfter(String user, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String key : new String[] {userKey(user), addressKey(address)}) {
            Instant until = key == null ? null : lockedUntil.get(key);
            if (until != null && until.isAfter(now) && Duration.between(now, until).compareTo(wait) > 0) {
                wait = Duration.between(now, until);
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    @EventListener
    public void failed(AuthenticationFailureBadCredentialsEvent event) {
        String user = event.getAuthentication().getName();
        String address = event.getAuthentication().getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : null;
        Instant now = clock.instant();
        count(userKey(user), settings.maxFailures(), now);
        count(addressKey(address), settings.maxFailuresPerAddress(), now);
    }

    @EventListener
    public void succeeded(AuthenticationSuccessEvent event) {
        failures.remove(userKey(event.getAuthentication().getName()));
    }

    private void count(String key, int max, Instant now) {
        if (key == null) {
            return;
        }
        if (failures.size() >= MAX_KEYS && !failures.containsKey(key)) {
            failures.values().removeIf(d -> recent(d, now) == 0);
            lockedUntil.values().removeIf(until -> !until.isAfter(now));
            if (failures.size() >= MAX_KEYS) {
                // a flood of distinct names or addresses within one window: the keys already counted stay counted
                log.warn("Login throttle full ({} keys failing within {}): {} is not counted", MAX_KEYS, settings.window(), key);
                return;
            }
        }
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(now);
            if (recent(times, now) >= max) {
                lockedUntil.put(key, now.plus(settings.lockout()));
                times.clear();
                log.warn("Login refused for {} after {} failed attempts within {}", key, max, settings.window());
            }
        }
    }

    /** How many user names and addresses are counted now (bounded by {@value #MAX_KEYS}). */
    int trackedKeys() {
        return failures.size();
    }

    /** Drops the failures older than the window and tells how many are left. */
    private int recent(Deque<Instant> times, Instant now) {
        synchronized (times) {
            Instant oldest = now.minus(settings.window());
            while (!times.isEmpty() && times.peekFirst().isBefore(oldest)) {
                times.removeFirst();
            }
            return times.size();
        }
    }

    private static String userKey(String user) {
        return user == null || user.isEmpty() ? null : "user '" + user.toLowerCase(Locale.ROOT) + "'";
    }

    private static String addressKey(String address) {
        return address == null ? null : "address " + address;
    }
}
