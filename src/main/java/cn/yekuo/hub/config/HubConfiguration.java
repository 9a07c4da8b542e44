package cn.yekuo.hub.config;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HubProperties.class)
public class HubConfiguration {

    /** Environment variables YK_… and system properties yk.… that bind to nothing stop the start ({@link UnknownKeys}). */
    @Bean
    static UnknownKeys unknownYkKeys(org.springframework.core.env.ConfigurableEnvironment environment) {
        return new UnknownKeys(environment);
    }

    /** The hub's notion of "now"; tests replace it with a settable clock. */
    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
