package cn.yekuo.hub.security;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

import cn.yekuo.hub.config.HubProperties;

/**
 * Authentication on everything but health; representatives (REP) act, viewers (VIEWER) read.
 * Two filter chains: the HTTP API (Basic only, stateless) and the browser (form login, session, CSRF).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    public static final String REP = "REP";
    public static final String VIEWER = "VIEWER";

    @Bean
    LoginThrottle loginThrottle(HubProperties hub, java.time.Clock clock) {
        return new LoginThrottle(hub.security().loginThrottle(), clock);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Passwords are kept only as hashes; a configured plain password is hashed at start. */
    @Bean
    InMemoryUserDetailsManager users(HubProperties hub, PasswordEncoder encoder) {
        List<UserDetails> users = new ArrayList<>();
        for (HubProperties.Security.User u : hub.security().users()) {
            if (u.name() == null || u.password() == null || u.password().isBlank()) {
                throw new IllegalStateException("yk.security.users: every user needs a name and a password");
            }
            if (u.name().length() > 32) {
                // the timeline records who acted by login (case_timeline.actor, 32 characters)
                throw new IllegalStateException("yk.security.users: user name '" + u.name() + "' is longer than 32 characters");
            }
            String role = u.role().toUpperCase();
            if (!role.equals(REP) && !role.equals(VIEWER)) {
                throw new IllegalStateException("yk.security.users: user '" + u.name() + "' has role " + u.role()
                        + "; roles are REP and VIEWER");
            }
            boolean hashed = u.password().startsWith("{");
            if (!hashed && u.password().equals(u.name())) {
                log.warn("HTTP user '{}' still has its embedded default password: set yk.security.users in production", u.name());
            }
            users.add(User.withUsername(u.name())
                    .password(hashed ? u.password() : encoder.encode(u.password()))
                    .roles(role)
                    .build());
        }
        return new InMemoryUserDetailsManager(users);
    }

    /**
     * The customers' status page (docs/contract.md §4.10): no login, no session, GET only (so no CSRF token to carry).
     * The token in the URL is the credential: no Referer leaves the page, nothing is cached, robots are asked away.
     */
    @Bean
    @Order(0)
    SecurityFilterChain status(HttpSecurity http) throws Exception {
        http.securityMatcher("/status/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/status/**").permitAll()
                        .anyRequest().denyAll())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .requestCache(cache -> cache.disable())
                .csrf(csrf -> csrf.disable())
                .headers(h -> h
                        .referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER))
                        .addHeaderWriter(new org.springframework.security.web.header.writers.StaticHeadersWriter("X-Robots-Tag", "noindex, nofollow"))
                        .contentSecurityPolicy(csp -> csp.policyDirectives(
                                "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                                        + "form-action 'none'; base-uri 'none'")));
        return http.build();
    }

    /**
     * The HTTP API for other programs: HTTP Basic on every request, no session, no CSRF token.
     * <p>
     * CSRF protection is off here on purpose, and safe because nothing a browser sends on its own can authenticate
     * to this chain: the session cookie of the dashboard is not read (the security context lives only in the
     * request), and a 401 carries no {@code WWW-Authenticate: Basic} challenge, so a browser never asks for and never
     * caches Basic credentials that a forged cross-site request could ride on. A request must carry its own
     * {@code Authorization} header, which another site cannot make a browser add.
     */
    /** 401 as a problem (contract §4.5), still without a {@code WWW-Authenticate} challenge (see {@link #api}). */
    private static final AuthenticationEntryPoint API_UNAUTHORIZED = (request, response, e) -> ApiProblems.write(request,
            response, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "send HTTP Basic credentials of a hub user");

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, LoginThrottle throttle) throws Exception {
        http.securityMatcher("/api/**")
                .addFilterBefore(new LoginThrottleFilter(throttle), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.POST, "/api/cases/*/actions/*").hasRole(REP)
                        .requestMatchers(HttpMethod.POST, "/api/reports/*/run").hasRole(REP)
                        .requestMatchers(HttpMethod.POST, "/api/quarantine/*/*").hasRole(REP)
                        .requestMatchers(HttpMethod.POST, "/api/dead-letters/**").hasRole(REP)
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(REP, VIEWER)
                        .anyRequest().denyAll())
                .httpBasic(basic -> basic.authenticationEntryPoint(API_UNAUTHORIZED))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .csrf(csrf -> csrf.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(API_UNAUTHORIZED)
                        .accessDeniedHandler((request, response, denied) -> ApiProblems.write(request, response,
                                HttpStatus.FORBIDDEN, "FORBIDDEN", "this user's role may not " + request.getMethod() + " "
                                        + request.getRequestURI())));
        return http.build();
    }

    /**
     * The dashboard, the OpenAPI document and the actuator: form login (and Basic, for scrapers of
     * {@code /actuator/prometheus}), CSRF tokens on every form; only representatives may post actions.
     */
    @Bean
    @Order(2)
    SecurityFilterChain browser(HttpSecurity http, LoginThrottle throttle) throws Exception {
        http.addFilterBefore(new LoginThrottleFilter(throttle), UsernamePasswordAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/login", "/css/**", "/favicon.ico", "/error").permitAll()
                        .requestMatchers(HttpMethod.POST, "/cases/*/actions/*").hasRole(REP)
                        .requestMatchers(HttpMethod.POST, "/quarantine/**").hasRole(REP)
                        .requestMatchers(HttpMethod.POST, "/dead-letters/**").hasRole(REP)
                        .anyRequest().hasAnyRole(REP, VIEWER))
                .formLogin(form -> form.loginPage("/login").permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .httpBasic(Customizer.withDefaults())
                .headers(h -> h
                        .referrerPolicy(r -> r.policy(ReferrerPolicy.SAME_ORIGIN))
                        .contentSecurityPolicy(csp -> csp.policyDirectives(
                                "default-src 'self'; img-src 'self' data:; object-src 'self'; frame-ancestors 'self'; "
                                        + "form-action 'self'; base-uri 'none'")));
        return http.build();
    }
}
