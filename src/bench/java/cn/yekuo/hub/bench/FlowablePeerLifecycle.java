package cn.yekuo.hub.bench;

import java.util.List;

import org.HdrHistogram.Histogram;

/**
 * Issue 19 peer (b) through the lifecycle: {@link FlowablePeerProcess} driven by the same {@link LifecycleBench.Driver}
 * (billing over JMS, the four units over SMTP/IMAP) as the hub, first saturated (every application at once), then paced
 * at the rate given (half of what the hub sustained).
 */
final class FlowablePeerLifecycle {

    /** The saturated batch (rate, stage latency, CPU per case from /proc) and the paced one (stage latency). */
    record Outcome(double perSecond, Histogram stageLatency, int completed, double cpuMsPerCase, double systemShare,
                   Histogram pacedStageLatency, int pacedCompleted, double readySeconds) {
    }

    private FlowablePeerLifecycle() {
    }

    /** The hub's IMAP poll interval in the benchmark ({@code yk.bench.mail-poll}, 300ms), which the peer polls at too. */
    static long pollMillis() {
        String poll = System.getProperty("yk.bench.mail-poll", "300ms").trim();
        return poll.endsWith("ms") ? Long.parseLong(poll.substring(0, poll.length() - 2))
                : Long.parseLong(poll.substring(0, poll.length() - 1)) * 1000;
    }

    static Outcome run(Results results, int cases, int pacedCases, double pacedRate, int brokerPort, int smtp, int imap,
                       List<String> jvmOptions) throws Exception {
        long poll = pollMillis();
        String url = "tcp://127.0.0.1:" + brokerPort;
        try (FlowablePeerProcess peer = FlowablePeerProcess.start("flowable-peer", jvmOptions, Bench.dir("flowable-peer"),
                brokerPort, smtp, imap, poll)) {
            double[] before = peer.cpuUserSystemSeconds();
            LifecycleBench.Driver driver = new LifecycleBench.Driver(url, smtp, imap, cases);
            driver.go(Integer.getInteger("yk.bench.lifecycle.timeout", Math.max(150, 3 * cases)));
            double[] after = peer.cpuUserSystemSeconds();
            if (driver.completed < cases) {
                results.note("lifecycle (Flowable with the same outputs): only " + driver.completed + " of " + cases
                        + " cases reached ENERGIZED in time");
            }
            double user = after[0] - before[0];
            double system = after[1] - before[1];
            double cpuMsPerCase = (user + system) * 1000 / Math.max(1, driver.completed);
            Histogram paced = new Histogram(3_600_000_000L, 3);
            int pacedCompleted = 0;
            if (pacedCases > 0 && pacedRate > 0) {
                LifecycleBench.Driver p = new LifecycleBench.Driver(url, smtp, imap, pacedCases).paced(pacedRate);
                p.go(Integer.getInteger("yk.bench.lifecycle.timeout", Math.max(150, 3 * pacedCases)) + (int) (pacedCases / pacedRate));
                paced = p.stageLatency;
                pacedCompleted = p.completed;
                if (p.completed < pacedCases) {
                    results.note("lifecycle (Flowable with the same outputs, paced): only " + p.completed + " of " + pacedCases
                            + " cases reached ENERGIZED in time");
                }
            }
            return new Outcome(driver.rate, driver.stageLatency, driver.completed, cpuMsPerCase,
                    system / Math.max(1e-9, user + system), paced, pacedCompleted, peer.readySeconds);
        }
    }
}
