package cn.yekuo.hub.deadlines;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.quartz.impl.jdbcjobstore.PostgreSQLDelegate;
import org.quartz.impl.jdbcjobstore.StdJDBCDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.quartz.QuartzProperties;
import org.springframework.boot.autoconfigure.quartz.SchedulerFactoryBeanCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Quartz scheduler behind camel-quartz: Spring Boot's, with the JDBC job store on the hub's DataSource
 * ({@code spring.quartz.*} in application.yaml: clustered, tables from Flyway V3). camel-quartz autowires this
 * {@code Scheduler} bean instead of creating its own in-memory one. Quartz needs a driver delegate that matches the
 * database (PostgreSQL reads BYTEA as bytes, the standard delegate as a BLOB): it is chosen here from the
 * connection's metadata, so one configuration serves H2 and PostgreSQL. The store is {@link HubJobStore}, Spring's with
 * connection-provider names of its own.
 */
@Configuration(proxyBeanMethods = false)
public class QuartzJobStoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(QuartzJobStoreConfiguration.class);
    static final String DELEGATE = "org.quartz.jobStore.driverDelegateClass";

    @Bean
    SchedulerFactoryBeanCustomizer hubJobStoreDelegate(DataSource dataSource, QuartzProperties quartz) {
        return factory -> {
            Properties properties = new Properties();
            properties.putAll(quartz.getProperties());
            properties.putIfAbsent("org.quartz.jobStore.class", HubJobStore.class.getName());
            if (!properties.containsKey(DELEGATE)) {
                properties.setProperty(DELEGATE, delegateFor(dataSource));
            }
            log.info("Quartz job store: {}, clustered={}", properties.getProperty(DELEGATE),
                    properties.getProperty("org.quartz.jobStore.isClustered", "false"));
            factory.setQuartzProperties(properties);
        };
    }

    static String delegateFor(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName();
            return product != null && product.toLowerCase().contains("postgres")
                    ? PostgreSQLDelegate.class.getName() : StdJDBCDelegate.class.getName();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell the database product for the Quartz job store", e);
        }
    }
}
