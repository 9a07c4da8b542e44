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
                    int mailPortBase, int n, int warmup) throws Exception {
        boolean postgres = !dbProps.isEmpty();
        for (int i = 0; i < consumerCounts.length; i++) {
            int consumers = consumerCounts[i];
            int port = brokerPortBase + i;
            Map<String, Object> props = new HashMap<>(Bench.hubDefaults("intake-" + db.toLowerCase(Locale.ROOT) + "-" + consumers));
            props.putAll(dbProps);
            props.put("yk.intake.consumers", String.valueOf(consumers));
            props.put("yk.broker.password", Bench.HUB_PASSWORD);
            props.put("yk.mail.smtp-port", String.valueOf(mailPortBase + 2 * i));
            props.put("yk.mail.imap-port", String.valueOf(mailPortBase + 2 * i + 1));
            Path dataDir = Bench.dir("intake-" + db.toLowerCase(Locale.ROOT) + "-" + consumers);
            long t0 = System.nanoTime();
            try (RunningHub hub = RunningHub.start(dataDir, port, props)) {
                System.out.printf(Locale.ROOT, "[bench] hub (%s, %d consumers) started in %.1f s%n", db, consumers, (System.nanoTime() - t0) / 1e9);
                String url = "tcp://127.0.0.1:" + port;
                DataSource ds = hub.bean(DataSource.class);
                IntakeLoad.Outcome raw;
                try (RawIntake ceiling = new RawIntake(url, "hub", Bench.HUB_PASSWORD, ds, postgres, consumers)) {
                    IntakeLoad.run(url, "hub", Bench.HUB_PASSWORD, RawIntake.IN, RawIntake.STATUS, IntakeLoad.applications(warmup), 0, 120);
                    raw = IntakeLoad.run(url, "hub", Bench.HUB_PASSWORD, RawIntake.IN, RawIntake.STATUS, IntakeLoad.applications(n), 0, 180);
                }
                IntakeLoad.run(url, "billing", "billing", "yk.billing.applications", "yk.billing.status", IntakeLoad.applications(warmup), 0, 120);
                IntakeLoad.drain(url, "billing", "billing", "yk.billing.status");
                IntakeLoad.Outcome viaHub = IntakeLoad.run(url, "billing", "billing", "yk.billing.applications", "yk.billing.status",
                        IntakeLoad.applications(n), 0, 240);
                String suffix = " (" + db + ", " + consumers + " consumer" + (consumers == 1 ? "" : "s") + ")";
                String peer = "ceiling (a) plain JMS+JDBC" + suffix;
                if (viaHub.completed() < n) {
                    results.note("intake" + suffix + ": only " + viaHub.completed() + " of " + n + " completed in time");
                }
                results.add("intake rate" + suffix, "apps/s", viaHub.perSecond(), peer, raw.perSecond(),
                        n + " applications, sent as fast as the sender goes, completion = first CaseStatusChanged received");
                results.add("intake p50 send->CaseStatusChanged" + suffix, "ms", viaHub.p50Ms(), peer, raw.p50Ms(), "saturated: includes queueing");
                results.add("intake p99 send->CaseStatusChanged" + suffix, "ms", viaHub.p99Ms(), peer, raw.p99Ms(), "saturated: includes queueing");
            }
        }
    }

}
