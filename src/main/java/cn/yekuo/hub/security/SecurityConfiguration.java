package cn.yekuo.hub.security;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

import cn.yekuo.hub.config.HubProperties;

/** Authentication on everything but health; representatives act, viewers read. */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

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
            boolean hashed = u.password().startsWith("{");
            if (!hashed && u.password().equals(u.name())) {
                log.warn("HTTP user '{}' still has its embedded default password: set yk.security.users in production", u.name());
            }
            users.add(User.withUsername(u.name())
                    .password(hashed ? u.password() : encoder.encode(u.password()))
                    .roles(u.role().toUpperCase())
                    .build());
        }
        return new InMemoryUserDetailsManager(users);
    }

    /** Machines (API clients, metrics scrapers) authenticate with HTTP Basic and get 401, never a login page. */
    @Bean
    @Order(1)
    SecurityFilterChain machines(HttpSecurity http) throws Exception {
        http.securityMatcher("/api/**", "/actuator/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                // no browser session and no cookies on this chain, so no cross-site request can ride on one
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** People use the dashboard with a login form, a session and CSRF protection. */
    @Bean
    @Order(2)
    SecurityFilterChain people(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .httpBasic(Customizer.withDefaults());
        return http.build();
    }
}
