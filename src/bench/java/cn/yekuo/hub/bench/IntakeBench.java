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
                    int mailPortBase, int n, int rawN, int warmup) throws Exception {
        run(results, db, dbProps, consumerCounts, brokerPortBase, mailPortBase, n, rawN, warmup, true);
    }

    /**
     * @param documents false pauses the document issuer ({@code yk.documents.issuer-enabled=false}): the intake
     *                  transaction's own cost, without the contact cards rendered beside it on the same cores
     */
    static void run(Results results, String db, Map<String, Object> dbProps, int[] consumerCounts, int brokerPortBase,
                    int mailPortBase, int n, int rawN, int warmup, boolean documents) throws Exception {
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
                IntakeLoad.Outcome raw;
                RawIntake ceiling = new RawIntake(url, "hub", Bench.HUB_PASSWORD, ds, postgres, consumers);
                try {
                    IntakeLoad.run(url, "hub", Bench.HUB_PASSWORD, RawIntake.IN, RawIntake.STATUS, IntakeLoad.applications(warmup), 0, 120);
                    raw = IntakeLoad.run(url, "hub", Bench.HUB_PASSWORD, RawIntake.IN, RawIntake.STATUS, IntakeLoad.applications(rawN), 0, 180);
                    IntakeLoad.run(url, "billing", "billing", "yk.billing.applications", "yk.billing.status", IntakeLoad.applications(warmup), 0, 120);
                    IntakeLoad.drain(url, "billing", "billing", "yk.billing.status");
                    IntakeLoad.Outcome viaHub = IntakeLoad.run(url, "billing", "billing", "yk.billing.applications", "yk.billing.status",
                            IntakeLoad.applications(n), 0, Math.max(240, n / 10)); // 5,000 applications at 20/s need longer
                    IntakeLoad.drain(url, "billing", "billing", "yk.billing.status");
                    // latency without a backlog: both at the same paced rate, half of what the hub sustained, for about 5 s
                    double rate = Math.max(1, viaHub.perSecond() / 2);
                    int paced = (int) Math.max(20, rate * 3);
                    IntakeLoad.Outcome rawPaced = IntakeLoad.run(url, "hub", Bench.HUB_PASSWORD, RawIntake.IN, RawIntake.STATUS,
                            IntakeLoad.applications(paced), rate, 60);
                    IntakeLoad.Outcome hubPaced = IntakeLoad.run(url, "billing", "billing", "yk.billing.applications", "yk.billing.status",
                            IntakeLoad.applications(paced), rate, 60);
                    String counted = " (" + db + ", " + consumers + " consumer" + (consumers == 1 ? "" : "s");
                    String suffix = counted + (documents ? "" : ", document issuer paused") + ")";
                    String peer = "ceiling (a) plain JMS+JDBC" + counted + ")";
                    if (viaHub.completed() < n) {
                        results.note("intake" + suffix + ": only " + viaHub.completed() + " of " + n + " completed in time");
                    }
                    results.add("intake rate" + suffix, "apps/s", viaHub.perSecond(), peer, raw.perSecond(),
                            n + " applications through the hub, " + rawN + " through the ceiling, sent as fast as the sender goes;"
                                    + " done = first CaseStatusChanged received");
                    String at = String.format(Locale.ROOT, " @%.0f/s", rate);
                    results.add("intake p50 send->CaseStatusChanged" + at + suffix, "ms", hubPaced.p50Ms(), peer, rawPaced.p50Ms(),
                            paced + " applications paced at half the hub's rate, from the intended send time");
                    results.add("intake p99 send->CaseStatusChanged" + at + suffix, "ms", hubPaced.p99Ms(), peer, rawPaced.p99Ms(), null);
                    results.add("intake p50 saturated (backlog)" + suffix, "ms", viaHub.p50Ms(), peer, raw.p50Ms(),
                            "the saturated run: mostly time spent waiting in the queue");
                } finally {
                    ceiling.close();
                }
            }
        }
    }

}
