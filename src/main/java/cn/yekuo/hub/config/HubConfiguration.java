package cn.yekuo.hub.config;

import java.time.Clock;

import org.apache.camel.spring.spi.SpringTransactionPolicy;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HubProperties.class)
public class HubConfiguration {

    /** Environment variables YK_… and system properties yk.… that bind to nothing stop the start ({@link UnknownKeys}). */
    @Bean
    static UnknownKeys unknownYkKeys(org.springframework.core.env.ConfigurableEnvironment environment) {
        return new UnknownKeys(environment);
    }

    /**
     * What a route's {@code transacted: {}} means: join the exchange's transaction (Camel looks this name up first).
     * Without it the only policy bean, the mail relay's REQUIRES_NEW {@code eachMailCommits}, was taken for every
     * {@code transacted: {}}: each split item and step opened a connection of its own and the pool ran dry.
     */
    @Bean("PROPAGATION_REQUIRED")
    public SpringTransactionPolicy joinTheTransaction(PlatformTransactionManager transactions) {
        SpringTransactionPolicy policy = new SpringTransactionPolicy(transactions);
        policy.setPropagationBehaviorName("PROPAGATION_REQUIRED");
        return policy;
    }

    /** The hub's notion of "now"; tests replace it with a settable clock. */
    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
