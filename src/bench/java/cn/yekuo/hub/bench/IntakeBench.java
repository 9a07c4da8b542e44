package cn.yekuo.hub.bench;

import java.nio.file.Path;
import java.util.HashMap;

import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import cn.yekuo.hub.support.RunningHub;

/** Intake through the hub's routes against ceiling (a), both on the same embedded broker and database, per consumer count. */
final class IntakeBench {

    private IntakeBench() {
    }

    static void run(Results results, String db, Map<String, Object> dbProps, int[] consumerCounts, int brokerPortBase,
                    int mailPortBase, int n, int rawN, int sameN, int warmup) throws Exception {
        run(results, db, dbProps, consumerCounts, brokerPortBase, mailPortBase, n, rawN, sameN, warmup, true);
    }

    /**
     * @param documents false pauses the document issuer ({@code yk.documents.issuer-enabled=false}): the intake
     *                  transaction's own cost, without the contact cards rendered beside it on the same cores
     */
    static void run(Results results, String db, Map<String, Object> dbProps, int[] consumerCounts, int brokerPortBase,
                    int mailPortBase, int n, int rawN, int sameN, int warmup, boolean documents) throws Exception {
        boolean postgres = !dbProps.isEmpty();
        for (int i = 0; i < consumerCounts.length; i++) {
            int consumers = consumerCounts[i];
            int port = brokerPortBase + i;
            String name = "intake-" + db.toLowerCase(Locale.ROOT) + "-" + consumers + (documents ? "" : "-issuer-paused");
            Map<String, Object> props = new HashMap<>(Bench.hubDefaults(name));
            props.putAll(dbProps);
            props.put("yk.intake.consumers", String.valueOf(consumers));
            props.put("yk.documents.issuer-enabled", String.valueOf(documents));
            props.put("yk.broker.password", Bench.HUB_PASSWORD);
            props.put("yk.mail.smtp-port", String.valueOf(mailPortBase + 2 * i));
            props.put("yk.mail.imap-port", String.valueOf(mailPortBase + 2 * i + 1));
            Path dataDir = Bench.dir(name);
            long t0 = System.nanoTime();
            try (RunningHub hub = RunningHub.start(dataDir, port, props)) {
                System.out.printf(Locale.ROOT, "[bench] hub (%s, %d consumers) started in %.1f s%n", db, consumers, (System.nanoTime() - t0) / 1e9);
                String url = "tcp://127.0.0.1:" + port;
                DataSource ds = hub.bean(DataSource.class);
                String counted = " (" + db + ", " + consumers + " consumer" + (consumers == 1 ? "" : "s");
                String suffix = counted + (documents ? "" : ", document issuer paused") + ")";
                String rawPeer = "raw ceiling (reference) plain JMS+JDBC, 4 statements" + counted + ")";
                // the hub's warm-up makes every mailbox the applications' mails go to, and is the same-work ceiling's template
                IntakeLoad.run(url, "billing", "billing", "yk.billing.applications", "yk.billing.status", IntakeLoad.applications(warmup), 0, 120);
                settle(hub);
                IntakeLoad.drain(url, "billing", "billing", "yk.billing.status");
                RawIntake ceiling = new RawIntake(url, "hub", Bench.HUB_PASSWORD, ds, postgres, consumers);
                try {
                    IntakeLoad.run(url, "hub", Bench.HUB_PASSWORD, RawIntake.IN, RawIntake.STATUS, IntakeLoad.applications(warmup), 0, 120);
                    IntakeLoad.Outcome raw = IntakeLoad.run(url, "hub", Bench.HUB_PASSWORD, RawIntake.IN, RawIntake.STATUS, IntakeLoad.applications(rawN), 0, 180);
                    ceiling.close();
                    if (!documents) {
                        // without contact cards the hub does less than the same-work ceiling: only the intake path against the raw reference
                        IntakeLoad.Outcome viaHub = IntakeLoad.run(url, "billing", "billing", "yk.billing.applications", "yk.billing.status",
                                IntakeLoad.applications(n), 0, Math.max(240, n / 10));
                        results.add("intake rate, first CaseStatusChanged" + suffix, "apps/s", viaHub.perSecond(), rawPeer, raw.perSecond(),
                                "done = first CaseStatusChanged received (the raw reference does no more)");
                        continue;
                    }
                    try (SameWorkIntake same = new SameWorkIntake(hub, url, "hub", Bench.HUB_PASSWORD, postgres, consumers,
                            mailPortBase + 2 * i);
                         MailWatch watch = new MailWatch(hub, same.recipients())) {
                        IntakeLoad.Done all = IntakeLoad.Done.allWork(watch);
                        String peer = "same-work ceiling (a) plain JMS+JDBC+SMTP" + counted + ")";
                        IntakeLoad.run(url, "hub", Bench.HUB_PASSWORD, SameWorkIntake.IN, SameWorkIntake.STATUS,
                                IntakeLoad.applications(warmup), 0, 120, all);
                        IntakeLoad.Outcome sameWork = IntakeLoad.run(url, "hub", Bench.HUB_PASSWORD, SameWorkIntake.IN, SameWorkIntake.STATUS,
                                IntakeLoad.applications(sameN), 0, Math.max(240, sameN / 5), all);
                        IntakeLoad.Outcome viaHub = IntakeLoad.run(url, "billing", "billing", "yk.billing.applications", "yk.billing.status",
                                IntakeLoad.applications(n), 0, Math.max(240, n / 5), all); // 5,000 applications at 20/s need longer
                        IntakeLoad.drain(url, "billing", "billing", "yk.billing.status");
                        // latency without a backlog: both at the same paced rate, half of what the hub sustained, for about 3 s
                        double rate = Math.max(1, viaHub.perSecond() / 2);
                        int paced = (int) Math.max(20, rate * 3);
                        IntakeLoad.Outcome samePaced = IntakeLoad.run(url, "hub", Bench.HUB_PASSWORD, SameWorkIntake.IN, SameWorkIntake.STATUS,
                                IntakeLoad.applications(paced), rate, 60, all);
                        IntakeLoad.Outcome hubPaced = IntakeLoad.run(url, "billing", "billing", "yk.billing.applications", "yk.billing.status",
                                IntakeLoad.applications(paced), rate, 60, all);
                        if (viaHub.completed() < n) {
                            results.note("intake" + suffix + ": only " + viaHub.completed() + " of " + n + " completed in time");
                        }
                        if (sameWork.completed() < sameN) {
                            results.note("same-work ceiling" + suffix + ": only " + sameWork.completed() + " of " + sameN + " completed in time");
                        }
                        String doneIs = "done = RECEIVED, ACCEPTED and SCHEME received and both hand-offs and the contact card's mail"
                                + " stored by the mail server";
                        results.add("intake rate" + suffix, "apps/s", viaHub.perSecond(), peer, sameWork.perSecond(),
                                n + " applications through the hub, " + sameN + " through the ceiling, sent as fast as the sender goes; "
                                        + doneIs, Results.Goal.min(0.7));
                        results.add("intake rate, all work vs raw reference" + suffix, "apps/s", viaHub.perSecond(), rawPeer, raw.perSecond(),
                                "reference only: the raw ceiling writes 4 statements and is done at its one status message (" + rawN
                                        + " applications)");
                        String at = String.format(Locale.ROOT, " @%.0f/s", rate);
                        results.add("intake p50 send->done" + at + suffix, "ms", hubPaced.p50Ms(), peer, samePaced.p50Ms(),
                                paced + " applications paced at half the hub's rate, from the intended send time; " + doneIs);
                        results.add("intake p99 send->done" + at + suffix, "ms", hubPaced.p99Ms(), peer, samePaced.p99Ms(), null);
                        results.add("intake p50 saturated (backlog)" + suffix, "ms", viaHub.p50Ms(), peer, sameWork.p50Ms(),
                                "the saturated run: mostly time spent waiting in the queue");
                    }
                } finally {
                    ceiling.close();
                }
            }
        }
    }

    /** Waits until the hub's relays and document issuer have nothing left to do (no pending outbox row), at most a minute. */
    static void settle(RunningHub hub) throws InterruptedException {
        for (int i = 0; i < 120; i++) {
            Integer pending = hub.jdbc().queryForObject("select count(*) from outbox where sent_at is null", Integer.class);
            if (pending != null && pending == 0) {
                return;
            }
            Thread.sleep(500);
        }
    }
}
