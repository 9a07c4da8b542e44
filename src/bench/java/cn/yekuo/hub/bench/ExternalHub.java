package cn.yekuo.hub.bench;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.yekuo.hub.support.RunningHub;

/** The packaged hub jar in a JVM of its own: time to ready, heap after a full GC, resident set size. */
final class ExternalHub implements AutoCloseable {

    final Process process;
    final int httpPort;
    final double readySeconds;

    private ExternalHub(Process process, int httpPort, double readySeconds) {
        this.process = process;
        this.httpPort = httpPort;
        this.readySeconds = readySeconds;
    }

    /** The packaged jar, as {@code mvn -Pbench verify} built it. */
    static Path packagedJar() {
        Path jar = Path.of(System.getProperty("yk.bench.jar", "target/yekuo-hub-0.1.0-SNAPSHOT.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no packaged hub at " + jar.toAbsolutePath() + " (mvn -Pbench verify packages it first)");
        }
        return jar;
    }

    /** {@code java -jar} on the packaged jar. */
    static ExternalHub start(String name, Map<String, String> args) throws Exception {
        return start(name, packagedJar(), List.of(), args);
    }

    /** {@code java <jvmOptions> -jar <jar>}, e.g. the extracted jar with its AppCDS archive. */
    static ExternalHub start(String name, Path jar, List<String> jvmOptions, Map<String, String> args) throws Exception {
        int http = RunningHub.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(CpuBreakdown.jvmOptions());
        cmd.add("-Dmail.mime.decodetext.strict=false");
        cmd.add("-Dfile.encoding=UTF-8");
        // "{name}" stands for the hub's name, so that each hub gets its own recording file
        String extra = System.getProperty("yk.bench.hub-jvm-args", "").replace("{name}", name);
        for (String a : extra.split(" ")) {
            if (!a.isBlank()) {
                cmd.add(a);
            }
        }
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        cmd.add("--server.port=" + http);
        Bench.hubDefaults(name).forEach((k, v) -> cmd.add("--" + k + "=" + v));
        args.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        Files.createDirectories(Bench.ROOT.resolve("logs"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(Bench.ROOT.resolve("logs").resolve(Bench.RUN + "-" + name + ".out").toFile());
        pb.directory(new File(".").getAbsoluteFile());
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/actuator/health")).timeout(Duration.ofSeconds(2)).build();
        long spawn = System.nanoTime();
        Process p = pb.start();
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("hub exited with " + p.exitValue() + ", see target/bench/logs/");
            }
            try {
                HttpResponse<String> r = client.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    break;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            int readyTimeout = Integer.getInteger("yk.bench.ready-timeout", 120); // a loaded shared machine needs more
            if (System.nanoTime() - spawn > TimeUnit.SECONDS.toNanos(readyTimeout)) {
                p.destroyForcibly();
                throw new IllegalStateException("hub not ready within " + readyTimeout + " s");
            }
            Thread.sleep(25);
        }
        return new ExternalHub(p, http, (System.nanoTime() - spawn) / 1e9);
    }

    /** Heap in use right after a full GC (jcmd GC.run), in MB. */
    double heapAfterFullGcMb() throws Exception {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("cannot read heap: " + info);
        }
        return Long.parseLong(m.group(1)) / 1024.0;
    }

    /** Resident set size of the process in MB. */
    double rssMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** CPU time the hub's process has used so far (user + system, all threads), from /proc/<pid>/stat. */
    double cpuSeconds() throws Exception {
        double[] userSystem = cpuUserSystemSeconds();
        return userSystem[0] + userSystem[1];
    }

    /** User and system CPU time of the hub's process so far. */
    double[] cpuUserSystemSeconds() throws Exception {
        return cpuUserSystemSeconds(process.pid());
    }

    /** User and system CPU time of any process so far, from /proc/<pid>/stat (the Flowable peer's too). */
    static double[] cpuUserSystemSeconds(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields 14 (utime) and 15 (stime) of proc(5), counted from the state field (3) after the command name
        return new double[] {Long.parseLong(f[11]) / (double) CLOCK_TICKS, Long.parseLong(f[12]) / (double) CLOCK_TICKS};
    }

    /** USER_HZ: 100 on Linux for every architecture the JDK runs on. */
    private static final int CLOCK_TICKS = 100;

    String jcmd(String command) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
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
