package cn.yekuo.hub.monthly;

import java.nio.file.Path;
import java.util.Date;
import java.util.HashMap;
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

import static cn.yekuo.hub.monthly.MonthlyHubs.WAIT;
import static cn.yekuo.hub.monthly.MonthlyHubs.at;
import static cn.yekuo.hub.monthly.MonthlyHubs.clock;
import static cn.yekuo.hub.monthly.MonthlyHubs.outboxMails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The monthly jobs across restarts and hubs: catch-up after downtime, one run per month with two hubs on one database. */
class MonthlyCatchUpAndClusterTest {

    static final String EVERY_SECOND = "* * * * * ?";

    @Test
    void a_hub_down_on_the_1st_produces_the_plans_and_the_report_at_its_next_start_and_only_once() {
        Path data = RunningHub.newDataDir("monthly-catch-up");
        // down over the 1st of February 2027: started again on the 3rd
        try (RunningHub hub = MonthlyHubs.start(data, 61752, catchUp("2027-02-03T09:00:00+08:00"))) {
            // the catch-up runs once the hub is ready, on its own thread
            await().atMost(WAIT).until(() -> runs(hub).size() >= 2);
            assertThat(runs(hub)).containsExactlyInAnyOrder("ASSESSMENT 2027-01 1", "RETURN_VISIT_PLANS 2027-01 1");
            assertThat(outboxMails(hub, "rv-plan-2027-01-")).hasSize(3)
                    .allSatisfy(m -> assertThat(m.subject()).contains("No cases"));
            assertThat(outboxMails(hub, "assessment-2027-01-")).hasSize(2);
        }
        // started again on the 1st of March before 08:00: February's jobs are not due yet (January's plans are past their
        // report time, so the silence check at start sends January's summary)
        try (RunningHub hub = MonthlyHubs.start(data, 61752, catchUp("2027-03-01T07:59:00+08:00"))) {
            await().atMost(WAIT).until(() -> runs(hub).size() >= 3);
            assertThat(runs(hub)).containsExactlyInAnyOrder("ASSESSMENT 2027-01 1", "RETURN_VISIT_PLANS 2027-01 1",
                    "RETURN_VISIT_SUMMARY 2027-01 1");
            // reported upward too, each plan flagged as sent late (on the 3rd; the procedure has them out before it)
            List<MonthlyHubs.Mail> summary = outboxMails(hub, "rv-summary-2027-01");
            assertThat(summary).extracting(MonthlyHubs.Mail::to).containsExactly("reps@yekuo.local", "assessment@yekuo.local");
            assertThat(summary.get(0).attachmentText(".csv").lines().skip(1).toList()).hasSize(3)
                    .allSatisfy(line -> assertThat(line).endsWith(",NO_CASES,—,2027-02-03,true"));
            assertThat(summary.get(0).text()).contains("计划逾期下发 plan sent late (2027-02-03)");
            clock(hub).set(at("2027-03-01T08:00"));
            hub.bean(MonthlyDuties.class).catchUp();
            assertThat(runs(hub)).containsExactlyInAnyOrder("ASSESSMENT 2027-01 1", "RETURN_VISIT_PLANS 2027-01 1",
                    "RETURN_VISIT_SUMMARY 2027-01 1", "ASSESSMENT 2027-02 1", "RETURN_VISIT_PLANS 2027-02 1");
            hub.bean(MonthlyDuties.class).catchUp();
            assertThat(outboxMails(hub, "rv-plan-")).hasSize(6);
            assertThat(outboxMails(hub, "assessment-")).hasSize(4);
        }
    }

    @Test
    void two_hubs_on_one_database_produce_and_mail_each_month_once_however_often_the_jobs_fire() throws Exception {
        Path dir = RunningHub.newDataDir("monthly-cluster");
        Server server = Server.createTcpServer("-tcpPort", "19150", "-ifNotExists").start();
        try {
            Map<String, Object> props = new HashMap<>();
            props.put("spring.datasource.url", "jdbc:h2:tcp://127.0.0.1:19150/" + dir.toAbsolutePath().resolve("cluster") + ";LOCK_TIMEOUT=10000");
            props.put("yk.test.clock-start", "2027-02-01T09:00:00+08:00");
            props.put("yk.monthly.plan-cron", EVERY_SECOND);
            props.put("yk.monthly.assessment-cron", EVERY_SECOND);
            try (RunningHub b = MonthlyHubs.start(dir.resolve("b"), 61754, props)) {
                Fired onB = Fired.on(b);
                Fired onA;
                try (RunningHub a = MonthlyHubs.start(dir.resolve("a"), 61753, props)) {
                    onA = Fired.on(a);
                    int before = onB.plans.size();
                    await().atMost(WAIT).until(() -> onA.plans.size() + onB.plans.size() - before >= 8);

                    assertThat(runs(a)).containsExactlyInAnyOrder("ASSESSMENT 2027-01 1", "RETURN_VISIT_PLANS 2027-01 1");
                    assertThat(outboxMails(a, "rv-plan-2027-01-")).extracting(MonthlyHubs.Mail::id).containsExactlyInAnyOrder(
                            "rv-plan-2027-01-dongjiao", "rv-plan-2027-01-xijiao", "rv-plan-2027-01-chengqu");
                    assertThat(outboxMails(b, "assessment-2027-01-")).hasSize(2);
                }
                // hub a stops: hub b fires the jobs alone, and still nothing is mailed twice
                int before = onB.plans.size();
                await().atMost(WAIT).until(() -> onB.plans.size() - before >= 3);
                assertThat(runs(b)).containsExactlyInAnyOrder("ASSESSMENT 2027-01 1", "RETURN_VISIT_PLANS 2027-01 1");
                assertThat(outboxMails(b, "rv-plan-")).hasSize(3);
                assertThat(outboxMails(b, "assessment-")).hasSize(2);
                Set<Date> both = new HashSet<>(onA.plans);
                both.retainAll(new HashSet<>(onB.plans));
                assertThat(both).as("no firing ran on both hubs").isEmpty();
                assertThat(new HashSet<>(onA.plans)).hasSameSizeAs(onA.plans);
                assertThat(new HashSet<>(onB.plans)).hasSameSizeAs(onB.plans);
                System.out.printf("Plan job firings: %d on hub a, %d on hub b%n", onA.plans.size(), onB.plans.size());
            }
        } finally {
            server.stop();
        }
    }

    /** The default schedule (08:00 on the 1st; Quartz itself does not fire during the test) with catch-up on. */
    static Map<String, Object> catchUp(String clockStart) {
        return Map.of("yk.monthly.catch-up", "true", "yk.test.clock-start", clockStart,
                "yk.monthly.plan-cron", "0 0 8 1 * ?", "yk.monthly.assessment-cron", "0 0 8 1 * ?");
    }

    static List<String> runs(RunningHub hub) {
        return hub.jdbc().queryForList("select job || ' ' || report_month || ' ' || cast(mailings as varchar(5)) from monthly_run",
                String.class);
    }

    /** Scheduled fire times of the plan job that ran on one hub. */
    static final class Fired extends JobListenerSupport {
        final List<Date> plans = new CopyOnWriteArrayList<>();

        static Fired on(RunningHub hub) throws SchedulerException {
            Fired fired = new Fired();
            hub.bean(Scheduler.class).getListenerManager().addJobListener(fired);
            return fired;
        }

        @Override
        public String getName() {
            return "monthly-fired";
        }

        @Override
        public void jobWasExecuted(JobExecutionContext context, JobExecutionException e) {
            if (context.getJobDetail().getKey().getName().contains("return-visit-plans")) {
                plans.add(context.getScheduledFireTime());
            }
        }
    }
}
