package cn.yekuo.hub.config;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
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

    /**
     * The embedded H2 store's compaction, which H2 skips with WRITE_DELAY=0; nothing on PostgreSQL, nor in a context
     * without a database (the configuration's own tests).
     */
    @Bean
    public H2StoreHousekeeping h2StoreHousekeeping(ObjectProvider<DataSource> dataSource, HubProperties hub) {
        return new H2StoreHousekeeping(dataSource.getIfAvailable(), hub.h2().housekeepingInterval());
    }
}
