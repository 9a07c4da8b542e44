package cn.yekuo.hub.metrics;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.time.Node;

/**
 * The hub's business counters for Prometheus (docs/contract.md §7): what happened since this node started, per node
 * (a sum over the nodes is the cluster's count). Inside a database transaction a count is made after its commit, so a
 * rolled-back attempt (redelivered, or read again at the next poll) is counted once, when it finally takes effect.
 * The known label values are registered at 0, so every series exists from the start ({@code increase()} sees the first
 * event).
 */
@Component
public class BusinessCounters {

    public static final String RECEIVED = "yk.applications.received";
    public static final String REJECTED = "yk.applications.rejected";
    public static final String REPLIES_PROCESSED = "yk.replies.processed";
    public static final String REPLIES_QUARANTINED = "yk.replies.quarantined";
    public static final String DEAD_LETTERS = "yk.dead.letters";
    public static final String NODES_MISSED = "yk.nodes.missed";
    public static final String NODES_COMPLETED = "yk.nodes.completed";

    /** The billing queues whose messages can end on {@code yk.dlq}. */
    public static final List<String> BILLING_QUEUES = List.of("yk.billing.applications", "yk.billing.events");

    private final MeterRegistry registry;

    public BusinessCounters(MeterRegistry registry, HubProperties hub) {
        this.registry = registry;
        applicationReceived(0);
        BILLING_QUEUES.forEach(queue -> deadLetter(queue).increment(0));
        List<String> units = new ArrayList<>();
        for (Unit u : Unit.values()) {
            units.add(u.code());
        }
        units.addAll(hub.supplyStations());
        for (String unit : units) {
            processed(unit).increment(0);
            for (Node node : Node.values()) {
                missed(unit, node.name()).increment(0);
                completed(unit, node.name(), true).increment(0);
                completed(unit, node.name(), false).increment(0);
            }
        }
    }

    /** The codes a rejection can have (the feature that rejects knows them): their series start at 0. */
    public void knownRejectionCodes(List<String> codes) {
        codes.forEach(code -> rejected(code).increment(0));
    }

    /** The reasons a quarantine can have: their series start at 0. */
    public void knownQuarantineReasons(List<String> reasons) {
        reasons.forEach(reason -> quarantined(reason).increment(0));
    }

    /** An application opened a case (after the intake's commit; a resend is never counted, it opens nothing). */
    public void applicationReceived() {
        afterCommit(() -> applicationReceived(1));
    }

    private void applicationReceived(double n) {
        Counter.builder(RECEIVED).description("Applications taken in (a case opened), since the node started")
                .register(registry).increment(n);
    }

    /** An ApplicationSubmitted answered MessageRejected with this code (counted when the answer is sent). */
    public void applicationRejected(String code) {
        rejected(code).increment();
    }

    /** A billing message moved to {@code yk.dlq} from this queue (rejected or poison). */
    public void deadLettered(String queue) {
        deadLetter(queue).increment();
    }

    /** A unit's reply applied to its case. */
    public void replyProcessed(String unit) {
        afterCommit(() -> processed(unit == null ? "unknown" : unit).increment());
    }

    /** A mail from the units' side quarantined, counted once under its first reason. */
    public void replyQuarantined(String reason) {
        afterCommit(() -> quarantined(reason).increment());
    }

    /** A timed node overran its limit, charged to this unit. */
    public void nodeMissed(String unit, String node) {
        afterCommit(() -> missed(unit, node).increment());
    }

    /**
     * A timed node's clock stopped for good, per responsible unit: {@code on_time} when it did not overrun (the
     * assessment's 达标: the on-time rate per unit and node is the share of {@code on_time="true"}).
     */
    public void nodeCompleted(String unit, String node, boolean onTime) {
        afterCommit(() -> completed(unit, node, onTime).increment());
    }

    private Counter completed(String unit, String node, boolean onTime) {
        return Counter.builder(NODES_COMPLETED).description("Timed nodes completed, per responsible unit, node and whether on time")
                .tag("unit", unit).tag("node", node).tag("on_time", String.valueOf(onTime)).register(registry);
    }

    private Counter rejected(String code) {
        return Counter.builder(REJECTED).description("ApplicationSubmitted messages answered MessageRejected, per code")
                .tag("code", code).register(registry);
    }

    private Counter deadLetter(String queue) {
        return Counter.builder(DEAD_LETTERS).description("Billing messages moved to yk.dlq, per queue they came from")
                .tag("queue", queue).register(registry);
    }

    private Counter processed(String unit) {
        return Counter.builder(REPLIES_PROCESSED).description("Units' replies applied to their cases, per unit")
                .tag("unit", unit).register(registry);
    }

    private Counter quarantined(String reason) {
        return Counter.builder(REPLIES_QUARANTINED).description("Mails to the units' mailbox quarantined, per first reason")
                .tag("reason", reason).register(registry);
    }

    private Counter missed(String unit, String node) {
        return Counter.builder(NODES_MISSED).description("Timed nodes that overran their limit, per charged unit and node")
                .tag("unit", unit).tag("node", node).register(registry);
    }

    /** After the current transaction's commit, or now outside one: a rollback counts nothing. */
    private static void afterCommit(Runnable count) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    count.run();
                }
            });
        } else {
            count.run();
        }
    }
}
