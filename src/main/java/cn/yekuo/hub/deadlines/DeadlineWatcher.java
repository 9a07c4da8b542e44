package cn.yekuo.hub.deadlines;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.cases.CaseStore.CaseRef;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.time.Deadline;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.domain.time.SlaClock;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.metrics.BusinessCounters;
import cn.yekuo.hub.process.CaseTasks;
import cn.yekuo.hub.process.TimedNodes;
import cn.yekuo.hub.process.TimedNodes.Due;
import cn.yekuo.hub.config.HubProperties;

/**
 * The deadline watcher (issue 3 point 7): finds the clocks whose {@code next_check_at} has come by one indexed query,
 * in batches, and handles each in a transaction of its own: a warning when the threshold is reached, a miss with one
 * assessment entry per unit that still owed its answer when the deadline passed. {@code warned_at}/{@code missed_at}
 * and the unique key (node, unit) make a second scan, a restart or a second hub harmless.
 *
 * <p>Called by the route {@code deadline-watcher} (camel-quartz, clustered JDBC job store: one hub fires).
 */
@Component("deadlineWatcher")
public class DeadlineWatcher {

    private static final Logger log = LoggerFactory.getLogger(DeadlineWatcher.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;
    private static final ObjectMapper JSON = new ObjectMapper();

    // not a route's transacted: one Quartz scan commits clock by clock (or group by group with savepoints)
    private final TransactionTemplate tx;
    private final TimedNodes nodes;
    private final CaseStore cases;
    private final CaseTasks tasks;
    private final SlaClock sla;
    private final Clock clock;
    private final ObjectProvider<DeadlineListener> listeners;
    private final TransactionTemplate savepoint;
    private final int batchSize;
    private int nodesPerTransaction;
    private final java.time.ZoneId zone;
    private final AtomicLong scans = new AtomicLong();

    private final BusinessCounters counters;

    public DeadlineWatcher(TransactionTemplate tx, TimedNodes nodes, CaseStore cases, CaseTasks tasks, SlaClock sla,
                           Clock clock, ObjectProvider<DeadlineListener> listeners, HubProperties hub,
                           BusinessCounters counters) {
        this.counters = counters;
        this.tx = tx;
        this.nodes = nodes;
        this.cases = cases;
        this.tasks = tasks;
        this.sla = sla;
        this.clock = clock;
        this.listeners = listeners;
        this.savepoint = new TransactionTemplate(tx.getTransactionManager());
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.batchSize = hub.deadlines().batchSize();
        nodesPerTransaction(hub.deadlines().nodesPerTransaction());
        this.zone = hub.businessZone();
    }

    /** What one scan did. */
    public record ScanResult(OffsetDateTime now, int due, int warnings, int misses, int assessmentEntries, int failed) {
    }

    private enum Done { NOTHING, WARNING, MISS }

    /**
     * One scan at the hub's "now": every clock due by then, in order of due time, in pages of
     * {@code yk.deadlines.batch-size}. Each clock is checked atomically: alone in its transaction, or, with
     * {@code yk.deadlines.nodes-per-transaction} > 1, in a savepoint of a transaction shared with the next few clocks
     * (a failing clock rolls back to its savepoint only). A clock that fails stays due for the next scan.
     */
    public ScanResult scan() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        scans.incrementAndGet();
        Counts counts = new Counts();
        // keyset paging on (next_check_at, id), both as read: a checked clock leaves the range (its next check is
        // later or none), a failed one stays behind the cursor, so the loop ends either way
        OffsetDateTime afterTime = OffsetDateTime.parse("1970-01-01T00:00:00Z");
        long afterId = 0;
        while (true) {
            List<Due> page = nodes.due(now, afterTime, afterId, batchSize);
            for (int from = 0; from < page.size(); from += nodesPerTransaction) {
                check(page.subList(from, Math.min(page.size(), from + nodesPerTransaction)), now, counts);
            }
            if (page.size() < batchSize) {
                break;
            }
            Due last = page.get(page.size() - 1);
            afterTime = last.nextCheckAt();
            afterId = last.id();
        }
        ScanResult result = new ScanResult(now, counts.due, counts.warnings, counts.misses, counts.entries, counts.failed);
        if (counts.due > 0) {
            log.info("Deadline scan at {}: {} due, {} warnings, {} missed, {} assessment entries, {} failed",
                    now, counts.due, counts.warnings, counts.misses, counts.entries, counts.failed);
        }
        return result;
    }

    /** Called with outcomes whose transaction committed. */
    private final class Counts {
        int due;
        int warnings;
        int misses;
        int entries;
        int failed;

        void add(Outcome outcome) {
            warnings += outcome.done == Done.WARNING ? 1 : 0;
            misses += outcome.done == Done.MISS ? 1 : 0;
            entries += outcome.entries;
            outcome.charged.forEach(unit -> counters.nodeMissed(unit, outcome.node.name()));
        }
    }

    private void check(List<Due> group, OffsetDateTime now, Counts counts) {
        counts.due += group.size();
        if (group.size() == 1) {
            long id = group.get(0).id();
            try {
                counts.add(tx.execute(status -> check(id, now)));
            } catch (RuntimeException e) {
                counts.failed++;
                log.error("Deadline check of clock {} failed; it is tried again at the next scan", id, e);
            }
            return;
        }
        List<Outcome> done = new ArrayList<>();
        try {
            tx.executeWithoutResult(status -> {
                for (Due due : group) {
                    try {
                        done.add(savepoint.execute(s -> check(due.id(), now)));
                    } catch (RuntimeException e) {
                        counts.failed++;
                        log.error("Deadline check of clock {} failed; it is tried again at the next scan", due.id(), e);
                    }
                }
            });
            done.forEach(counts::add);
        } catch (RuntimeException e) {
            counts.failed += done.size();
            log.error("Deadline checks of clocks {} failed to commit; they are tried again at the next scan",
                    group.stream().map(Due::id).toList(), e);
        }
    }

    /** The benchmark compares settings on one hub. */
    void nodesPerTransaction(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("yk.deadlines.nodes-per-transaction must be at least 1: " + n);
        }
        this.nodesPerTransaction = n;
    }

    /** How many scans this hub ran since it started (the cluster test counts them per hub). */
    public long scans() {
        return scans.get();
    }

    /** {@code charged}: the units a miss was charged to, counted once the check's transaction committed. */
    private record Outcome(Done done, int entries, Node node, List<String> charged) {
        Outcome(Done done, int entries) {
            this(done, entries, null, List.of());
        }
    }

    /** One clock, in the caller's transaction: the case row is locked first, as the process manager does. */
    private Outcome check(long nodeId, OffsetDateTime now) {
        CaseRef c = cases.lockByClock(nodeId).orElse(null);
        if (c == null) {
            return new Outcome(Done.NOTHING, 0);
        }
        TimedNodes.Running n = nodes.lock(nodeId).orElse(null);
        if (n == null) {
            return new Outcome(Done.NOTHING, 0); // completed or cancelled since the query
        }
        String outerCaseNo = MDC.get("caseNo"); // a caller's (a reply, a request) stays after this
        MDC.put("caseNo", c.caseNo());
        try {
            Deadline d = n.deadline(sla);
            OffsetDateTime warnedAt = n.warnedAt();
            OffsetDateTime missedAt = n.missedAt();
            Done done = Done.NOTHING;
            int entries = 0;
            List<String> charged = List.of();
            if (d.dueAt() != null && missedAt == null && d.isOverdue(now)) {
                missedAt = now;
                charged = missed(c, n, d, now);
                entries = charged.size();
                done = Done.MISS;
            } else if (d.dueAt() != null && warnedAt == null && missedAt == null && !now.isBefore(d.warningAt())) {
                warnedAt = now;
                warning(c, n, d, now);
                done = Done.WARNING;
            }
            nodes.checked(nodeId, warnedAt, missedAt, TimedNodes.nextCheck(d, warnedAt, missedAt));
            return new Outcome(done, entries, n.node(), charged);
        } finally {
            if (outerCaseNo == null) {
                MDC.remove("caseNo");
            } else {
                MDC.put("caseNo", outerCaseNo);
            }
        }
    }

    private void warning(CaseRef c, TimedNodes.Running n, Deadline d, OffsetDateTime now) {
        List<String> units = owing(n);
        String due = d.dueAt().atZoneSameInstant(zone).format(DAY);
        String summary = "时限预警：" + n.node().chinese() + "将于 " + due + " 到期，待" + chinese(units) + "答复"
                + " / Deadline warning: " + n.node() + " is due on " + due + ", awaiting " + String.join(", ", units);
        cases.appendTimeline(c.id(), now, Actor.SYSTEM.name(), "DEADLINE_WARNING", c.stage(), summary, details(n, d, units, 0));
        DeadlineNotice notice = new DeadlineNotice(c.caseNo(), c.id(), n.id(), n.node(), units, d.dueAt(), now, 0);
        listeners.orderedStream().forEach(l -> l.warning(notice));
        log.info("Case {}: deadline warning for {} due {} ({})", c.caseNo(), n.node(), d.dueAt(), units);
    }

    private List<String> missed(CaseRef c, TimedNodes.Running n, Deadline d, OffsetDateTime now) {
        List<String> units = owing(n);
        int overrun = d.overrunDays(now);
        String due = d.dueAt().atZoneSameInstant(zone).format(DAY);
        String summary = "超时限：" + n.node().chinese() + "已于 " + due + " 到期，" + chinese(units) + "未答复，计入考核"
                + " / Deadline missed: " + n.node() + " was due on " + due + ", no answer from " + String.join(", ", units)
                + "; charged in the assessment";
        cases.appendTimeline(c.id(), now, Actor.SYSTEM.name(), "DEADLINE_MISSED", c.stage(), summary, details(n, d, units, overrun));
        for (String unit : units) {
            nodes.charge(c.id(), n.id(), unit, n.node(), d.dueAt(), overrun, n.rule().deduction(), now);
        }
        DeadlineNotice notice = new DeadlineNotice(c.caseNo(), c.id(), n.id(), n.node(), units, d.dueAt(), now, overrun);
        listeners.orderedStream().forEach(l -> l.missed(notice));
        log.warn("Case {}: deadline of {} missed (due {}), charged to {}", c.caseNo(), n.node(), d.dueAt(), units);
        return units;
    }

    /** The units that still owe an answer: those of the node's open tasks, else the node's responsible units. */
    private List<String> owing(TimedNodes.Running n) {
        Set<String> units = new LinkedHashSet<>();
        tasks.openOnNode(n.id()).forEach(t -> units.add(t.unit()));
        return units.isEmpty() ? List.copyOf(n.responsible()) : List.copyOf(units);
    }

    private static String chinese(List<String> units) {
        StringBuilder s = new StringBuilder();
        for (String code : units) {
            if (!s.isEmpty()) {
                s.append('、');
            }
            String name;
            try {
                name = Unit.fromCode(code).chinese();
            } catch (IllegalArgumentException e) {
                name = code; // a supply station or a unit configured later
            }
            s.append(name);
        }
        return s.toString();
    }

    private static String details(TimedNodes.Running n, Deadline d, List<String> units, int overrun) {
        ObjectNode o = JSON.createObjectNode();
        o.put("nodeId", n.id());
        o.put("node", n.node().name());
        o.put("dueAt", d.dueAt().toString());
        o.set("units", JSON.valueToTree(units));
        if (overrun > 0) {
            o.put("overrunDays", overrun);
        }
        return o.toString();
    }
}
