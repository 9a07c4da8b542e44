package cn.yekuo.hub.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 429 (with Retry-After) to a login attempt — HTTP Basic credentials or the dashboard's login form — while
 * {@link LoginThrottle} refuses its user or address; requests of an existing session are not attempts.
 */
public class LoginThrottleFilter extends OncePerRequestFilter {

    private final LoginThrottle throttle;

    public LoginThrottleFilter(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = attemptedUser(request);
        if (user != null) {
            Optional<Duration> wait = throttle.retryAfter(user, request.getRemoteAddr());
            if (wait.isPresent()) {
                long seconds = Math.max(1, wait.get().toSeconds() + (wait.get().toMillisPart() > 0 ? 1 : 0));
                response.setHeader("Retry-After", String.valueOf(seconds));
                ApiProblems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "TOO_MANY_LOGIN_FAILURES",
                        "too many failed logins for this user or address: try again in " + seconds + " s");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The user name of a login attempt in this request, or null when it makes none. */
    static String attemptedUser(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException malformed) {
                return "";
            }
        }
        if ("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath())) {
            String user = request.getParameter("username");
            return user == null ? "" : user;
        }
        return null;
    }
}
