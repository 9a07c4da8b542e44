package cn.yekuo.hub.deadlines;

import java.time.ZoneOffset;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.domain.time.Deadline;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.domain.time.SlaClock;
import cn.yekuo.hub.domain.time.TimeLimitRule;
import cn.yekuo.hub.domain.time.TimeLimitRules;
import cn.yekuo.hub.support.MutableClock;
import cn.yekuo.hub.support.RequiresPostgres;
import cn.yekuo.hub.support.RunningHub;

/**
 * Benchmark, not a test (tag {@code benchmark}, excluded from the default run): one deadline scan over 100,000
 * open cases, on H2 and on PostgreSQL. Run with {@code mvn -Pbench-deadlines test}; see docs/benchmarks/deadline-scan.md.
 *
 * <p>Data: 100,000 cases in SCHEME, each with its running scheme clock (15 working days, 30 for the 10% dual-source
 * ones) started at a random time in the 40 days before "now", both scheme tasks open on it, warned/missed state as
 * the watcher would have left it; 1% of the clocks whose warning or deadline has come are left unprocessed, so they
 * are due. A scan is timed as the route runs it: the indexed query for due clocks plus, per due clock, its own
 * transaction (locks, timeline, assessment entries, next check). Between rounds the due clocks are put back.
 */
@Tag("benchmark")
class DeadlineScanBenchmark {

    static final int CASES = Integer.getInteger("yk.bench.cases", 100_000);
    static final double DUE_SHARE = 0.01;
    static final OffsetDateTime NOW = OffsetDateTime.parse("2026-12-10T10:00:00+08:00");
    static final int WARMUP = 3;
    static final int ROUNDS = 7;

    @Test
    void scan_on_h2() {
        run("H2 (embedded file)", 61716, Map.of());
    }

    @Test
    void scan_on_postgres() {
        org.junit.jupiter.api.Assumptions.assumeTrue(postgresReachable(), "PostgreSQL not reachable at " + RequiresPostgres.URL);
        run("PostgreSQL", 61717, DeadlineWatcherOnPostgresTest.postgres("bench" + System.nanoTime() % 100000));
    }

    private void run(String label, int port, Map<String, Object> database) {
        try (RunningHub hub = DeadlineHubs.start(RunningHub.newDataDir("bench"), port, database, DeadlineHubs.NEVER)) {
            hub.bean(MutableClock.class).set(NOW);
            JdbcTemplate jdbc = hub.jdbc();
            long t0 = System.nanoTime();
            Dataset data = insert(jdbc, hub.bean(SlaClock.class), hub.bean(TimeLimitRules.class));
            System.out.printf("%n[%s] inserted %,d cases, %,d clocks, %,d tasks in %.1f s; %,d clocks due now%n", label,
                    CASES, CASES, 2 * CASES, (System.nanoTime() - t0) / 1e9, data.due.size());
            jdbc.execute("analyze");
            DeadlineWatcher watcher = hub.bean(DeadlineWatcher.class);

            for (int perTransaction : new int[] {1, 50}) {
                watcher.nodesPerTransaction(perTransaction);
                for (int dueNow : new int[] {data.due.size(), 10, 0}) {
                    List<Double> millis = new ArrayList<>();
                    DeadlineWatcher.ScanResult last = null;
                    for (int round = 0; round < WARMUP + ROUNDS; round++) {
                        data.reset(jdbc, dueNow);
                        long start = System.nanoTime();
                        last = watcher.scan();
                        double ms = (System.nanoTime() - start) / 1e6;
                        if (round >= WARMUP) {
                            millis.add(ms);
                        }
                        if (last.due() != dueNow || last.failed() > 0) {
                            throw new IllegalStateException("scan saw " + last + ", expected " + dueNow + " due");
                        }
                    }
                    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                    System.out.printf("[%s] nodes-per-transaction %d, %,d due of %,d: median %.1f ms, min %.1f, max %.1f "
                                    + "(%d rounds; %d warnings, %d missed, %d entries)%n",
                            label, perTransaction, dueNow, CASES, sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1],
                            ROUNDS, last.warnings(), last.misses(), last.assessmentEntries());
                }
            }
            long q = System.nanoTime();
            int n = 0;
            for (int i = 0; i < 20; i++) {
                n = jdbc.queryForList("""
                        select id from case_node where next_check_at <= ? and (next_check_at > ? or (next_check_at = ? and id > ?))
                        order by next_check_at, id fetch first 500 rows only""",
                        Long.class, NOW, NOW.minusYears(50), NOW.minusYears(50), 0L).size();
            }
            System.out.printf("[%s] the due query alone (nothing due, %d rows): %.2f ms%n", label, n, (System.nanoTime() - q) / 1e6 / 20);
        }
    }

    /** The clocks left due, with the state the scan must find (and is put back to before each round). */
    record DueClock(long id, OffsetDateTime warnedAt, OffsetDateTime missedAt, OffsetDateTime nextCheck) {
    }

    static final class Dataset {
        final List<DueClock> due = new ArrayList<>();

        void reset(JdbcTemplate jdbc, int dueNow) {
            OffsetDateTime later = NOW.plusDays(1);
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < due.size(); i++) {
                DueClock c = due.get(i);
                rows.add(new Object[] {c.warnedAt(), c.missedAt(), i < dueNow ? c.nextCheck() : later, c.id()});
            }
            jdbc.batchUpdate("update case_node set warned_at = ?, missed_at = ?, next_check_at = ? where id = ?", rows);
            jdbc.update("delete from assessment_entry where case_id >= ?", FIRST_ID);
            jdbc.update("delete from case_timeline where case_id >= ? and kind like 'DEADLINE_%'", FIRST_ID);
        }
    }

    static final long FIRST_ID = 10_000_000L;

    private static Dataset insert(JdbcTemplate jdbc, SlaClock sla, TimeLimitRules rules) {
        Random random = new Random(42);
        Dataset data = new Dataset();
        TimeLimitRule single = rules.ruleFor(Node.SCHEME_REPLY, 1, NOW.toLocalDate()).orElseThrow();
        TimeLimitRule dual = rules.ruleFor(Node.SCHEME_REPLY, 2, NOW.toLocalDate()).orElseThrow();
        OffsetDateTime now = NOW;
        int batch = 2000;
        List<Object[]> cases = new ArrayList<>();
        List<Object[]> nodes = new ArrayList<>();
        List<Object[]> tasks = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            long id = FIRST_ID + i;
            boolean twoSources = random.nextInt(10) == 0;
            TimeLimitRule rule = twoSources ? dual : single;
            OffsetDateTime started = NOW.minusMinutes(random.nextInt(40 * 24 * 60));
            Deadline d = sla.deadline(rule, started);
            OffsetDateTime warned = null;
            OffsetDateTime missed = null;
            OffsetDateTime next;
            boolean leaveDue = random.nextDouble() < DUE_SHARE * 1.83; // about half the clocks have a threshold behind them
            if (NOW.isBefore(d.warningAt())) {
                next = ts(d.warningAt());
            } else if (NOW.isBefore(d.missedFrom())) {
                next = leaveDue ? ts(d.warningAt()) : ts(d.missedFrom());
                warned = leaveDue ? null : ts(d.warningAt());
                if (leaveDue) {
                    data.due.add(new DueClock(FIRST_ID + i, null, null, next));
                }
            } else {
                warned = ts(d.warningAt());
                next = leaveDue ? ts(d.missedFrom()) : null;
                missed = leaveDue ? null : ts(d.missedFrom());
                if (leaveDue) {
                    data.due.add(new DueClock(FIRST_ID + i, warned, null, next));
                }
            }
            OffsetDateTime start = ts(started);
            cases.add(new Object[] {id, "YK-B-" + id, "BENCH-" + id, start, start, now, now, twoSources ? 2 : 1});
            nodes.add(new Object[] {id, id, rule.ruleSet(), rule.limit(), rule.days().name(), rule.warning().remainingPercent(),
                    rule.warning().atLeastWorkingDays(), start, ts(d.dueAt()), ts(d.warningAt()), warned, missed, next});
            tasks.add(new Object[] {2 * id, id, 1, "SCHEME_TECHNICAL", "production", id, start});
            tasks.add(new Object[] {2 * id + 1, id, 2, "SCHEME_BUSINESS", "marketing", id, start});
            if (cases.size() == batch || i == CASES - 1) {
                jdbc.batchUpdate("""
                        insert into yk_case (id, case_no, application_no, service_type, stage, customer_name, site_address,
                            supply_station, supply_voltage_kv, transformer_kva, existing_kva, power_sources, materials,
                            submitted_at, accepted_at, created_at, updated_at)
                        values (?, ?, ?, 'NEW_INSTALL', 'SCHEME', '基准测试客户', '杭州市东郊工业园区', 'dongjiao', 10, 800, 0, ?,
                            'APPLICATION_FORM', ?, ?, ?, ?)""",
                        reorder(cases, new int[] {0, 1, 2, 7, 3, 4, 5, 6}));
                jdbc.batchUpdate("""
                        insert into case_node (id, case_id, node, responsible, rule_set, limit_days, day_kind, warning_percent,
                            warning_min_days, started_at, pauses, due_at, warning_at, warned_at, missed_at, next_check_at)
                        values (?, ?, 'SCHEME_REPLY', 'production,marketing', ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?)""", nodes);
                jdbc.batchUpdate("""
                        insert into case_task (id, case_id, task_no, kind, unit, stage, status, node_id, opened_at)
                        values (?, ?, ?, ?, ?, 'SCHEME', 'OPEN', ?, ?)""", tasks);
                cases.clear();
                nodes.clear();
                tasks.clear();
            }
        }
        return data;
    }

    private static List<Object[]> reorder(List<Object[]> rows, int[] order) {
        return rows.stream().map(r -> Arrays.stream(order).mapToObj(i -> r[i]).toArray()).toList();
    }

    private static OffsetDateTime ts(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static boolean postgresReachable() {
        try (var c = java.sql.DriverManager.getConnection(RequiresPostgres.URL, RequiresPostgres.USER, RequiresPostgres.PASSWORD)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
