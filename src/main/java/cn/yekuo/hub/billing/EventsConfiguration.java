package cn.yekuo.hub.billing;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import cn.yekuo.hub.cases.ProcessedMessages;

@Configuration(proxyBeanMethods = false)
public class EventsConfiguration {

    /** The idempotentConsumer of route {@code apply-billing-event} (routes/billing-events.yaml). */
    @Bean
    JdbcMessageIdRepository billingEventMessageIds(DataSource dataSource, PlatformTransactionManager transactions) {
        return ProcessedMessages.idempotentRepository(dataSource, transactions, BillingEvents.CONSUMER);
    }
}
