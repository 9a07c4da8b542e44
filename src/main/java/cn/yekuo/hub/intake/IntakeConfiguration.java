package cn.yekuo.hub.intake;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import cn.yekuo.hub.cases.ProcessedMessages;

@Configuration(proxyBeanMethods = false)
public class IntakeConfiguration {

    /** The idempotentConsumer of route {@code open-case} (routes/billing-intake.yaml). De-duplication is per queue. */
    @Bean
    JdbcMessageIdRepository billingIntakeMessageIds(DataSource dataSource, PlatformTransactionManager transactions) {
        return ProcessedMessages.idempotentRepository(dataSource, transactions, ApplicationIntake.CONSUMER);
    }
}
