package cn.yekuo.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.support.MutableClock;

/** The window and the lockout of the login throttle, on a clock the test moves. */
class LoginThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T01:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(
            new HubProperties.Security.LoginThrottle(5, 20, Duration.ofMinutes(5), Duration.ofMinutes(5)), clock);

    @Test
    void failures_spread_wider_than_the_window_never_lock() {
        for (int i = 0; i < 12; i++) {
            fail("rep", "10.0.0.1");
            clock.advance(Duration.ofSeconds(80)); // at most 4 within any 5 minutes
        }
        assertThat(throttle.retryAfter("rep", "10.0.0.1")).isEmpty();
    }

    @Test
    void five_failures_in_the_window_lock_the_user_for_the_lockout_then_let_it_try_again() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.retryAfter("rep", "10.0.0.1")).isEmpty();
            fail("REP", "10.0.0." + i);
        }
        assertThat(throttle.retryAfter("rep", "10.0.0.9")).contains(Duration.ofMinutes(5));
        assertThat(throttle.retryAfter("viewer", "10.0.0.9")).as("another user").isEmpty();
        clock.advance(Duration.ofMinutes(5));
        assertThat(throttle.retryAfter("rep", "10.0.0.9")).isEmpty();
    }

    @Test
    void an_address_is_locked_after_its_own_limit_whatever_the_users() {
        for (int i = 0; i < 20; i++) {
            fail("user" + i, "10.0.0.7");
        }
        assertThat(throttle.retryAfter("rep", "10.0.0.7")).isPresent();
        assertThat(throttle.retryAfter("rep", "10.0.0.8")).isEmpty();
    }

    @Test
    void a_flood_of_distinct_names_and_addresses_stays_bounded_and_keeps_what_it_counted() {
        fail("rep", "10.0.0.1");
        for (int i = 0; i < 12_000; i++) {
            fail("guess" + i, "10.1." + (i / 250) + "." + (i % 250));
        }
        assertThat(throttle.trackedKeys()).isLessThanOrEqualTo(10_000);
        for (int i = 0; i < 4; i++) {
            fail("rep", "10.0.0.1");
        }
        assertThat(throttle.retryAfter("rep", "10.0.0.2")).as("rep's earlier failure still counts").isPresent();
    }

    private void fail(String user, String address) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(address);
        UsernamePasswordAuthenticationToken attempt = UsernamePasswordAuthenticationToken.unauthenticated(user, "guess");
        attempt.setDetails(new WebAuthenticationDetails(request));
        throttle.failed(new AuthenticationFailureBadCredentialsEvent(attempt, new BadCredentialsException("bad")));
    }
}
