package cn.yekuo.hub.support;

import java.time.Instant;
import java.time.OffsetDateTime;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * With {@code yk.test.clock=mutable} the hub's {@code java.time.Clock} is a {@link MutableClock} starting at
 * {@code yk.test.clock-start} (ISO offset date-time; default the real now). Inert otherwise, so the shared
 * {@code @HubTest} context keeps the system clock. Component scanning finds it in {@link RunningHub}s too.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "yk.test.clock", havingValue = "mutable")
public class MutableClockConfiguration {

    @Bean
    @Primary
    MutableClock mutableClock(@Value("${yk.test.clock-start:}") String start) {
        return new MutableClock(start.isBlank() ? Instant.now() : OffsetDateTime.parse(start).toInstant());
    }
}
