package cn.yekuo.hub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The production launch: the Dockerfile's {@code deploy/class-data-sharing.sh} (the jar extracted plus an AppCDS
 * archive from a training start, and the compiler directives beside them), so that the lifecycle hub starts as the
 * image's ENTRYPOINT starts it.
 */
final class StartupBench {

    /** How to start a hub: the jar and the JVM options before {@code -jar}. */
    record Launch(String label, Path jar, List<String> jvmOptions) {
        static Launch packagedJar() {
            return new Launch("packaged jar, java -jar", ExternalHub.packagedJar(), List.of());
        }
    }

    private StartupBench() {
    }

    /** Runs the script; the packaged jar when it fails (with a note saying so). */
    static Launch production(Results results, int brokerPort, int mailPortBase) throws Exception {
        Path dest = Bench.ROOT.resolve("cds").toAbsolutePath();
        long t0 = System.nanoTime();
        Files.createDirectories(Bench.ROOT.resolve("logs"));
        Process training = new ProcessBuilder("sh", "deploy/class-data-sharing.sh", ExternalHub.packagedJar().toAbsolutePath().toString(),
                dest.toString(), "--yk.broker.acceptor=tcp://127.0.0.1:" + brokerPort, "--yk.broker.url=tcp://127.0.0.1:" + brokerPort,
                "--yk.mail.smtp-port=" + mailPortBase, "--yk.mail.imap-port=" + (mailPortBase + 1))
                .redirectErrorStream(true).redirectOutput(Bench.ROOT.resolve("logs").resolve(Bench.RUN + "-cds-training.out").toFile())
                .start();
        if (!training.waitFor(900, TimeUnit.SECONDS) || training.exitValue() != 0) {
            training.destroyForcibly();
            results.note("production launch not prepared (deploy/class-data-sharing.sh failed, see target/bench/logs/*-cds-training.out):"
                    + " the lifecycle hub runs with java -jar");
            return Launch.packagedJar();
        }
        results.note(String.format(Locale.ROOT, "AppCDS archive of %d MB made by deploy/class-data-sharing.sh in %.0f s (extract + training start)",
                Files.size(dest.resolve("yekuo-hub.jsa")) / (1024 * 1024), (System.nanoTime() - t0) / 1e9));
        return new Launch("production launch: extracted jar + AppCDS + jit-directives.json, as the Dockerfile",
                dest.resolve(ExternalHub.packagedJar().getFileName()),
                List.of("-XX:SharedArchiveFile=" + dest.resolve("yekuo-hub.jsa"), "-Xshare:auto", "-XX:+UnlockDiagnosticVMOptions",
                        "-XX:CompilerDirectivesFile=" + dest.resolve("jit-directives.json")));
    }
}
