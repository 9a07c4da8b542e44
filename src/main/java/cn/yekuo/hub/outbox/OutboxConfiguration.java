package cn.yekuo.hub.outbox;

import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import cn.yekuo.hub.config.HubProperties;

/**
 * The poll schedulers of the three relay routes, referenced by their {@code scheduler:} endpoints
 * ({@code scheduler: "#mailRelayScheduler"}): one per route, each woken by commits of its own channel; the threads of
 * the document issuer and the mail relay; the routes' transaction policy.
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

    /**
     * The threads of route {@code document-issuer}'s parallel split ({@code executorService: documentIssuers}): cases'
     * requests are issued side by side, {@code yk.documents.issuer-threads} at a time, each case's on one thread in
     * order. Camel's pool (named DocumentIssuer in thread dumps), shut down by Camel after its routes stopped, not by Spring before.
     */
    @Bean(destroyMethod = "")
    public ExecutorService documentIssuers(CamelContext camel, HubProperties hub) {
        return camel.getExecutorServiceManager().newFixedThreadPool(this, "DocumentIssuer", hub.documents().issuerThreads());
    }

    /**
     * The threads of route {@code mail-relay}'s parallel split ({@code executorService: mailRelays}): cases' mails are
     * sent side by side, {@code yk.mail.relay-threads} at a time, each case's on one thread in creation order, each
     * thread over its own SMTP connection. Camel's pool (MailRelay in thread dumps), shut down by Camel after its routes.
     */
    @Bean(destroyMethod = "")
    public ExecutorService mailRelays(CamelContext camel, HubProperties hub) {
        return camel.getExecutorServiceManager().newFixedThreadPool(this, "MailRelay", hub.mailRelayThreads());
    }

    /**
     * What a route's {@code transacted: {}} means (billing's intake and events): join the
     * exchange's transaction, or begin one where there is none; Camel looks this name up first, for the steps' error
     * handler too. A second policy bean (the mail relay's REQUIRES_NEW until round 3 of issue 19) made each relay
     * thread hold two connections: the error handler began a transaction with this policy around the step that began the other.
     */
    @Bean("PROPAGATION_REQUIRED")
    public SpringTransactionPolicy joinTheTransaction(PlatformTransactionManager transactions) {
        SpringTransactionPolicy policy = new SpringTransactionPolicy(transactions);
        policy.setPropagationBehaviorName("PROPAGATION_REQUIRED");
        return policy;
    }
}
