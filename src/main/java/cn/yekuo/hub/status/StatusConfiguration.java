package cn.yekuo.hub.status;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.documents.StatusLinks;

/** The status links' key, the links in customer mails and the per-address rate limit of {@code /status/**}. */
@Configuration(proxyBeanMethods = false)
public class StatusConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StatusConfiguration.class);

    /** {@code yk.status.secret}, or the key generated once and kept in the database (embedded default; prod requires one). */
    @Bean
    StatusToken statusToken(HubProperties hub, StatusSecrets secrets) {
        String configured = hub.status().secret();
        if (configured != null && !configured.isBlank()) {
            return new StatusToken(configured);
        }
        log.warn("yk.status.secret is not set: the customers' status links are signed with a key generated into the "
                + "database (table status_secret); set YK_STATUS_SECRET (at least 32 random characters) in production");
        return new StatusToken(secrets.readOrCreate());
    }

    @Bean
    StatusLinks statusLinks(HubProperties hub, StatusToken tokens) {
        return caseNo -> UriComponentsBuilder.fromUriString(hub.status().baseUrl())
                .path("/status/{token}").buildAndExpand(tokens.tokenFor(caseNo)).encode().toUriString();
    }

    @Bean
    StatusRateLimit statusRateLimit(HubProperties hub, Clock clock) {
        return new StatusRateLimit(hub.status().requestsPerMinute(), clock);
    }

    /**
     * 429 with Retry-After beyond {@code yk.status.requests-per-minute} from one client address. The address is the
     * connection's, or the proxy's X-Forwarded-For where {@code server.forward-headers-strategy} trusts it (prod).
     */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> statusRateLimitFilter(StatusRateLimit limit) {
        FilterRegistrationBean<OncePerRequestFilter> bean = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                Optional<Duration> wait = limit.acquire(request.getRemoteAddr());
                if (wait.isPresent()) {
                    long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                    response.setStatus(429);
                    response.setHeader("Retry-After", String.valueOf(seconds));
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().write("请求过于频繁，请 " + seconds + " 秒后再试 (too many requests: try again in " + seconds + " s)\n");
                    return;
                }
                chain.doFilter(request, response);
            }
        });
        bean.addUrlPatterns("/status/*");
        bean.setName("statusRateLimit");
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return bean;
    }
}
