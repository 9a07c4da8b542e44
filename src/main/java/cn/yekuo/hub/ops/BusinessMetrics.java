package cn.yekuo.hub.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.deadletters.DeadLetterQueue;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.queries.CaseMails;
import cn.yekuo.hub.queries.CaseQueries;

/**
 * Business gauges for Prometheus: {@code yk_cases_open{stage}}, {@code yk_nodes_overdue{unit}},
 * {@code yk_outbox_pending}, {@code yk_mails_dead}, {@code yk_documents_failed} and, once the mail feature provides {@link CaseMails}, {@code yk_mails_quarantined}.
 * The database is read at most once per {@link #MAX_AGE} however often the gauges are scraped.
 *
 * <p>The values are cluster-wide (one database), so with several hub nodes only one reports them ({@link ReportingNode}):
 * the others report 0, and a sum over the nodes is the cluster's value. {@code yk_business_gauges_reporter} is 1 on
 * the reporting node, 0 on the others.
 */
@Component
public class BusinessMetrics {

    private static final Logger log = LoggerFactory.getLogger(BusinessMetrics.class);
    static final Duration MAX_AGE = Duration.ofSeconds(10);

    private final MeterRegistry registry;
    private final CaseQueries queries;
    private final Outbox outbox;
    private final ObjectProvider<CaseMails> mails;
    private final HubProperties hub;

    private final Cached<Map<Stage, Integer>> openPerStage;
    private final Cached<Map<String, Integer>> overduePerUnit;
    private final Cached<Integer> outboxPending;
    private final Cached<Integer> deadMails;
    private final Cached<Integer> failedDocuments;
    private final Cached<Boolean> reporting;
    private final Cached<Integer> mailUp;
    private final Cached<Integer> deadLetters;

    public BusinessMetrics(MeterRegistry registry, CaseQueries queries, Outbox outbox, ObjectProvider<CaseMails> mails,
                           HubProperties hub, ReportingNode reportingNode, ObjectProvider<HealthContributorRegistry> health,
                           DeadLetterQueue deadLetterQueue) {
        this.reporting = new Cached<>(reportingNode::isThisNode);
        this.registry = registry;
        this.queries = queries;
        this.outbox = outbox;
        this.mails = mails;
        this.hub = hub;
        this.openPerStage = new Cached<>(queries::openPerStage);
        this.overduePerUnit = new Cached<>(queries::overduePerUnit);
        this.outboxPending = new Cached<>(outbox::pendingCount);
        this.deadMails = new Cached<>(() -> outbox.deadCount(Outbox.MAIL));
        this.failedDocuments = new Cached<>(() -> outbox.deadCount(Outbox.DOCUMENT));
        this.mailUp = new Cached<>(() -> mailUp(health.getIfAvailable()));
        this.deadLetters = new Cached<>(deadLetterQueue::count);
    }

    /** 1 while the {@code mail} health component (SMTP and IMAP logins) is UP, 0 otherwise (-1: no such component). */
    private static int mailUp(HealthContributorRegistry registry) {
        if (registry == null || !(registry.getContributor("mail") instanceof HealthIndicator mail)) {
            return -1;
        }
        return Status.UP.equals(mail.health().getStatus()) ? 1 : 0;
    }

    /** Registered once the database is migrated and the hub is up. */
    @EventListener(ApplicationReadyEvent.class)
    public void register() {
        for (Stage stage : Stage.values()) {
            if (!stage.isFinal()) {
                Gauge.builder("yk.cases.open", this, m -> m.ifReporting(() -> m.openPerStage.get().getOrDefault(stage, 0)))
                        .description("Open cases per stage").tag("stage", stage.name()).register(registry);
            }
        }
        java.util.List<String> units = new java.util.ArrayList<>();
        for (Unit u : Unit.values()) {
            units.add(u.code());
        }
        units.addAll(hub.supplyStations());
        for (String unit : units) {
            Gauge.builder("yk.nodes.overdue", this, m -> m.ifReporting(() -> m.overduePerUnit.get().getOrDefault(unit, 0)))
                    .description("Running utility clocks past their due time, per responsible unit")
                    .tag("unit", unit).register(registry);
        }
        Gauge.builder("yk.outbox.pending", this, m -> m.ifReporting(m.outboxPending::get))
                .description("Outbox entries not yet delivered").register(registry);
        Gauge.builder("yk.mails.dead", this, m -> m.ifReporting(m.deadMails::get))
                .description("Mails the relay gave up on (refused for good or out of attempts): waiting for a person")
                .register(registry);
        Gauge.builder("yk.documents.failed", this, m -> m.ifReporting(m.failedDocuments::get))
                .description("Requested documents the issuer set aside after their attempts: waiting for a person")
                .register(registry);
        Gauge.builder("yk.dead.letters.waiting", this, m -> m.ifReporting(m.deadLetters::get))
                .description("Messages on the dead-letter queue yk.dlq (counted up to 10,000): waiting for an operator")
                .register(registry);
        // this node's own view of the mail servers, so not a cluster-wide value: every node reports it
        Gauge.builder("yk.mail.up", this, m -> m.mailUp.get())
                .description("1 while this node logs in to the SMTP and IMAP servers (health component mail), else 0")
                .register(registry);
        Gauge.builder("yk.business.gauges.reporter", this, m -> Boolean.TRUE.equals(m.reporting.get()) ? 1 : 0)
                .description("1 on the hub node that reports the cluster-wide business gauges, 0 on the others").register(registry);
        CaseMails m = mails.getIfAvailable();
        if (m != null) {
            Cached<Integer> quarantined = new Cached<>(m::quarantinedCount);
            Gauge.builder("yk.mails.quarantined", quarantined, c -> ifReporting(c::get))
                    .strongReference(true) // the gauge alone holds this cache: a weak reference read NaN after a GC
                    .description("Replies waiting for a representative to check them").register(registry);
        }
    }

    /** The gauge's value on the reporting node, 0 on the others (so that a sum over the nodes counts each once). */
    double ifReporting(Supplier<Integer> value) {
        return Boolean.TRUE.equals(reporting.get()) ? value.get() : 0;
    }

    /** A value read at most once per {@link #MAX_AGE}; NaN-free: a failed read keeps the last value. */
    static final class Cached<T> {
        private final Supplier<T> read;
        private final AtomicReference<T> value = new AtomicReference<>();
        private volatile long readAt;

        Cached(Supplier<T> read) {
            this.read = read;
        }

        T get() {
            long now = System.nanoTime();
            if (value.get() == null || now - readAt > MAX_AGE.toNanos()) {
                try {
                    value.set(read.get());
                    readAt = now;
                } catch (RuntimeException e) {
                    log.warn("Business gauge not refreshed: {}", e.toString());
                    if (value.get() == null) {
                        throw e;
                    }
                }
            }
            return value.get();
        }
    }
}
