package cn.yekuo.hub.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 19 peer (b), {@code cn.yekuo.hub.bench.flowable.FlowablePeer}, in a JVM of its own as {@link ExternalHub} starts
 * the hub: {@code java <jvmOptions> <yk.bench.peer-jvm-args> -cp <test classpath> …FlowablePeer}. Its CPU time is read
 * from /proc like the hub's and includes its broker and mail server.
 */
final class FlowablePeerProcess implements AutoCloseable {

    final Process process;
    final double readySeconds;

    private FlowablePeerProcess(Process process, double readySeconds) {
        this.process = process;
        this.readySeconds = readySeconds;
    }

    /**
     * @param jvmOptions e.g. a JFR recording; {@code yk.bench.peer-jvm-args} adds more ({@code {name}} stands for the name)
     */
    static FlowablePeerProcess start(String name, List<String> jvmOptions, Path dir, int brokerPort, int smtpPort, int imapPort,
                                     long pollMillis) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Dmail.mime.decodetext.strict=false");
        cmd.add("-Dfile.encoding=UTF-8");
        for (String a : System.getProperty("yk.bench.peer-jvm-args", "").replace("{name}", name).split(" ")) {
            if (!a.isBlank()) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("cn.yekuo.hub.bench.flowable.FlowablePeer");
        cmd.add("--dir=" + dir.toAbsolutePath());
        cmd.add("--broker-port=" + brokerPort);
        cmd.add("--smtp-port=" + smtpPort);
        cmd.add("--imap-port=" + imapPort);
        cmd.add("--poll-ms=" + pollMillis);
        Files.createDirectories(dir);
        Files.createDirectories(Bench.ROOT.resolve("logs"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(Bench.ROOT.resolve("logs").resolve(Bench.RUN + "-" + name + ".out").toFile());
        pb.directory(new File(".").getAbsoluteFile());
        Path ready = dir.resolve("ready");
        long spawn = System.nanoTime();
        Process p = pb.start();
        int timeout = Integer.getInteger("yk.bench.ready-timeout", 120);
        while (!Files.exists(ready)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Flowable peer exited with " + p.exitValue() + ", see target/bench/logs/");
            }
            if (System.nanoTime() - spawn > TimeUnit.SECONDS.toNanos(timeout)) {
                p.destroyForcibly();
                throw new IllegalStateException("Flowable peer not ready within " + timeout + " s");
            }
            Thread.sleep(25);
        }
        return new FlowablePeerProcess(p, (System.nanoTime() - spawn) / 1e9);
    }

    /** User and system CPU time of the process so far, read as the hub's is. */
    double[] cpuUserSystemSeconds() throws Exception {
        return ExternalHub.cpuUserSystemSeconds(process.pid());
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
