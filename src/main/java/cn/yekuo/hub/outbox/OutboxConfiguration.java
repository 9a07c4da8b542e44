package cn.yekuo.hub.outbox;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The poll schedulers of the three relay routes, referenced by their {@code scheduler:} endpoints
 * ({@code scheduler: "#mailRelayScheduler"}): one per route, each woken by commits of its own channel.
 */
@Configuration(proxyBeanMethods = false)
public class OutboxConfiguration {

    /** Route {@code outbox-relay} (routes/billing-status.yaml). */
    @Bean
    public WakeablePollScheduler outboxRelayScheduler(OutboxWakeUp wakeUp) {
        return new WakeablePollScheduler(wakeUp, Outbox.BILLING_STATUS);
    }

    /** Route {@code mail-relay} (routes/unit-mail.yaml). */
    @Bean
    public WakeablePollScheduler mailRelayScheduler(OutboxWakeUp wakeUp) {
        return new WakeablePollScheduler(wakeUp, Outbox.MAIL);
    }

    /** Route {@code document-issuer} (routes/customer-documents.yaml). */
    @Bean
    public WakeablePollScheduler documentIssuerScheduler(OutboxWakeUp wakeUp) {
        return new WakeablePollScheduler(wakeUp, Outbox.DOCUMENT);
    }
}
