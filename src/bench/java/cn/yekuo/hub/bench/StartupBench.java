package cn.yekuo.hub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Start time of the production launch: the Dockerfile's {@code deploy/class-data-sharing.sh} (extracted jar plus an
 * AppCDS archive from a training start), then the hub started from it as the image's ENTRYPOINT does, timed from
 * spawning the JVM to {@code /actuator/health} answering 200.
 */
final class StartupBench {

    private StartupBench() {
    }

    static void run(Results results, int brokerPort, int mailPortBase) throws Exception {
        Path dest = Bench.ROOT.resolve("cds").toAbsolutePath();
        long t0 = System.nanoTime();
        Process training = new ProcessBuilder("sh", "deploy/class-data-sharing.sh", ExternalHub.packagedJar().toAbsolutePath().toString(),
                dest.toString(), "--yk.broker.acceptor=tcp://127.0.0.1:" + brokerPort, "--yk.broker.url=tcp://127.0.0.1:" + brokerPort,
                "--yk.mail.smtp-port=" + mailPortBase, "--yk.mail.imap-port=" + (mailPortBase + 1))
                .redirectErrorStream(true).redirectOutput(Bench.ROOT.resolve("logs").resolve(Bench.RUN + "-cds-training.out").toFile())
                .start();
        if (!training.waitFor(180, TimeUnit.SECONDS) || training.exitValue() != 0) {
            training.destroyForcibly();
            results.note("production launch not measured: deploy/class-data-sharing.sh failed, see target/bench/logs/*-cds-training.out");
            return;
        }
        double trainingSeconds = (System.nanoTime() - t0) / 1e9;
        Path jar = dest.resolve(ExternalHub.packagedJar().getFileName());
        Map<String, String> args = new LinkedHashMap<>();
        args.put("yk.data-dir", Bench.dir("startup").toAbsolutePath().toString());
        args.put("yk.broker.acceptor", "tcp://127.0.0.1:" + brokerPort);
        args.put("yk.broker.url", "tcp://127.0.0.1:" + brokerPort);
        args.put("yk.mail.smtp-port", String.valueOf(mailPortBase));
        args.put("yk.mail.imap-port", String.valueOf(mailPortBase + 1));
        List<String> jvm = List.of("-XX:SharedArchiveFile=" + dest.resolve("yekuo-hub.jsa"), "-Xshare:auto");
        try (ExternalHub hub = ExternalHub.start("startup", jar, jvm, args)) {
            results.add("footprint: JVM start to ready (production launch: extracted jar + AppCDS, as the Dockerfile)", "s",
                    hub.readySeconds, "goal", 8.0, String.format(java.util.Locale.ROOT,
                            "archive %d MB from a training start of %.0f s (deploy/class-data-sharing.sh)",
                            Files.size(dest.resolve("yekuo-hub.jsa")) / (1024 * 1024), trainingSeconds));
        }
    }
}
