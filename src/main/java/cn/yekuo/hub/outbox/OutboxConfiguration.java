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
 * the document issuer and the mail relay; the routes' transaction policies.
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
        return camel.getExecutorServiceManager().newFixedThreadPool(this, "MailRelay", hub.mail().relayThreads());
    }

    /**
     * What a route's {@code transacted: {}} means (billing's intake and events): join the exchange's transaction; Camel
     * looks this name up first. Without it the only policy bean, {@code eachMailCommits} below, was taken for every
     * {@code transacted: {}}: each split item and step opened a connection of its own and the pool ran dry under load.
     */
    @Bean("PROPAGATION_REQUIRED")
    public SpringTransactionPolicy joinTheTransaction(PlatformTransactionManager transactions) {
        SpringTransactionPolicy policy = new SpringTransactionPolicy(transactions);
        policy.setPropagationBehaviorName("PROPAGATION_REQUIRED");
        return policy;
    }

    /**
     * {@code transacted: {ref: eachMailCommits}} in the mail relay's split: each mail is marked sent (or its failure
     * recorded) in a transaction of its own, so a crash sends again at most the one mail in flight, not the batch.
     */
    @Bean
    public SpringTransactionPolicy eachMailCommits(PlatformTransactionManager transactions) {
        SpringTransactionPolicy policy = new SpringTransactionPolicy(transactions);
        policy.setPropagationBehaviorName("PROPAGATION_REQUIRES_NEW");
        return policy;
    }
}
