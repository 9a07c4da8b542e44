package cn.yekuo.hub.deadlines;

import static cn.yekuo.hub.deadlines.DeadlineHubs.at;
import static cn.yekuo.hub.deadlines.DeadlineHubs.entries;
import static cn.yekuo.hub.deadlines.DeadlineHubs.timelineKinds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.listeners.JobListenerSupport;

import cn.yekuo.hub.support.RunningHub;

/**
 * The watcher as camel-quartz fires it: after a restart on the same data, and on two hubs sharing one database,
 * where the clustered job store lets exactly one hub run each firing. H2 here (a TCP server for the shared
 * database); the PostgreSQL subclass shares a schema.
 */
class DeadlineClusterTest {

    static final String EVERY_SECOND = "* * * * * ?";

    Map<String, Object> sharedDatabase(Path dir) {
        return Map.of("spring.datasource.url", "jdbc:h2:tcp://127.0.0.1:19110/" + dir.toAbsolutePath().resolve("cluster") + ";LOCK_TIMEOUT=10000");
    }

    /** Starts what the shared database needs (an H2 TCP server); closed after the test. */
    AutoCloseable databaseServer(Path dir) throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "19110", "-ifNotExists").start();
        return server::stop;
    }

    Map<String, Object> ownDatabase(String name) {
        return Map.of();
    }

    @Test
    void a_hub_restarted_on_the_same_data_records_no_warning_miss_or_entry_twice() {
        Path data = RunningHub.newDataDir("deadline-restart");
        String caseNo;
        List<String> timeline;
        List<DeadlineHubs.Entry> entries;
        try (RunningHub hub = DeadlineHubs.start(data, 61712, ownDatabase("restart"), DeadlineHubs.NEVER)) {
            caseNo = DeadlineHubs.newCase(hub, 61712);
            DeadlineWatcher watcher = hub.bean(DeadlineWatcher.class);
            DeadlineHubs.clock(hub).set(at("2026-12-16T08:00:00"));
            watcher.scan();
            DeadlineHubs.clock(hub).set(at("2026-12-19T08:00:00"));
            watcher.scan();
            timeline = timelineKinds(hub, caseNo, "DEADLINE_");
            entries = entries(hub, caseNo);
            assertThat(timeline).containsExactly("DEADLINE_WARNING", "DEADLINE_MISSED");
            assertThat(entries).hasSize(2);
        }
        // the same data, the watcher now fired by Quartz every second at a later "now"
        try (RunningHub hub = DeadlineHubs.start(data, 61712, ownDatabase("restart"), EVERY_SECOND)) {
            DeadlineHubs.clock(hub).set(at("2026-12-21T08:00:00"));
            DeadlineWatcher watcher = hub.bean(DeadlineWatcher.class);
            await().atMost(DeadlineHubs.WAIT).until(() -> watcher.scans() >= 3);
            assertThat(timelineKinds(hub, caseNo, "DEADLINE_")).isEqualTo(timeline);
            assertThat(entries(hub, caseNo)).isEqualTo(entries);
            assertThat(hub.bean(RecordingDeadlineListener.class).missesOf(caseNo)).isEmpty();
        }
    }

    @Test
    void two_hubs_on_one_database_run_each_firing_of_the_watcher_on_one_hub_only_and_the_other_carries_on_alone() throws Exception {
        Path dir = RunningHub.newDataDir("deadline-cluster");
        try (AutoCloseable server = databaseServer(dir);
             RunningHub b = DeadlineHubs.start(dir.resolve("b"), 61715, sharedDatabase(dir), EVERY_SECOND)) {
            FiredJobs firedOnB = FiredJobs.on(b);
            FiredJobs firedOnA;
            String caseNo;
            try (RunningHub a = DeadlineHubs.start(dir.resolve("a"), 61713, sharedDatabase(dir), EVERY_SECOND)) {
                firedOnA = FiredJobs.on(a);
                caseNo = DeadlineHubs.newCase(a, 61713);
                DeadlineHubs.clock(a).set(at("2026-12-19T08:00:00"));
                DeadlineHubs.clock(b).set(at("2026-12-19T08:00:00"));
                int before = firedOnB.count();
                await().atMost(DeadlineHubs.WAIT).until(() -> firedOnA.count() + firedOnB.count() - before >= 8);

                assertThat(timelineKinds(a, caseNo, "DEADLINE_")).containsExactly("DEADLINE_MISSED");
                assertThat(entries(a, caseNo)).extracting(DeadlineHubs.Entry::unit).containsExactly("marketing", "production");
                int notices = a.bean(RecordingDeadlineListener.class).missesOf(caseNo).size()
                        + b.bean(RecordingDeadlineListener.class).missesOf(caseNo).size();
                assertThat(notices).as("one DeadlineMissed across the cluster").isEqualTo(1);
            }
            // hub a stops: the trigger stays in the shared store and hub b fires it alone
            int before = firedOnB.count();
            await().atMost(DeadlineHubs.WAIT).until(() -> firedOnB.count() - before >= 3);

            Set<Date> onA = new HashSet<>(firedOnA.scheduled);
            Set<Date> onB = new HashSet<>(firedOnB.scheduled);
            assertThat(onA).as("no firing ran twice on hub a").hasSameSizeAs(firedOnA.scheduled);
            assertThat(onB).as("no firing ran twice on hub b").hasSameSizeAs(firedOnB.scheduled);
            Set<Date> both = new HashSet<>(onA);
            both.retainAll(onB);
            assertThat(both).as("firings run on both hubs").isEmpty();
            System.out.printf("Watcher firings: %d on hub a, %d on hub b (hub b alone after a stopped: %d)%n",
                    onA.size(), onB.size(), firedOnB.count() - before);
            assertThat(timelineKinds(b, caseNo, "DEADLINE_")).containsExactly("DEADLINE_MISSED");
        }
    }

    /** The scheduled fire times of the watcher's job that ran on one hub. */
    static final class FiredJobs extends JobListenerSupport {

        final List<Date> scheduled = new CopyOnWriteArrayList<>();

        static FiredJobs on(RunningHub hub) throws SchedulerException {
            FiredJobs fired = new FiredJobs();
            hub.bean(Scheduler.class).getListenerManager().addJobListener(fired);
            return fired;
        }

        @Override
        public String getName() {
            return "fired-jobs";
        }

        @Override
        public void jobWasExecuted(JobExecutionContext context, JobExecutionException e) {
            scheduled.add(context.getScheduledFireTime());
        }

        int count() {
            return new ArrayList<>(scheduled).size();
        }
    }
}
