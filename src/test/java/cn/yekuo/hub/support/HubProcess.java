package cn.yekuo.hub.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A hub in a JVM of its own, for what only a separate process shows: {@code kill -9}, the packaged jar started
 * from another folder. Its output goes to {@code hub.log} in its working directory.
 */
public final class HubProcess implements AutoCloseable {

    private final Process process;
    private final Path workDir;
    private final int httpPort;

    private HubProcess(Process process, Path workDir, int httpPort) {
        this.process = process;
        this.workDir = workDir;
        this.httpPort = httpPort;
    }

    /** {@code java -jar <jar>} started in {@code workDir}, with free ports for HTTP, the broker and the mail server. */
    public static HubProcess jar(Path jar, Path workDir, Map<String, String> args) throws IOException {
        return start(List.of("-jar", jar.toAbsolutePath().toString()), workDir, args);
    }

    /** The hub from this test run's class path (target/classes), in {@code workDir}. */
    public static HubProcess classpath(Path workDir, Map<String, String> args) throws IOException {
        return start(List.of("-cp", System.getProperty("java.class.path"), "cn.yekuo.hub.HubApplication"), workDir, args);
    }

    private static HubProcess start(List<String> launch, Path workDir, Map<String, String> args) throws IOException {
        Files.createDirectories(workDir);
        int http = RunningHub.freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.port", String.valueOf(http));
        all.put("yk.broker.acceptor", "tcp://127.0.0.1:" + RunningHub.freePort() + "?protocols=CORE,AMQP,STOMP,OPENWIRE");
        all.put("yk.mail.smtp-port", String.valueOf(RunningHub.freePort()));
        all.put("yk.mail.imap-port", String.valueOf(RunningHub.freePort()));
        all.put("yk.monthly.catch-up", "false");
        all.putAll(args);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        // these hubs live for a minute: the client compiler alone starts them sooner on two cores
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dmail.mime.decodetext.strict=false");
        cmd.add("-Dfile.encoding=UTF-8");
        cmd.addAll(launch);
        all.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("hub.log").toFile())).start();
        return new HubProcess(p, workDir, http);
    }

    /** Waits until {@code /actuator/health} answers 200; fails at once if the process exits. */
    public HubProcess awaitHealthy(Duration timeout) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("hub exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (health(client).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notListeningYet) {
                // the web server is not up yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("hub not healthy within " + timeout + ":\n" + logTail());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    public HttpResponse<String> health() throws Exception {
        return health(HttpClient.newHttpClient());
    }

    private HttpResponse<String> health(HttpClient client) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for the process to end by itself (e.g. a start that must fail) and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("hub still running after " + timeout);
        }
        return process.exitValue();
    }

    /** {@code kill -9}: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String log() throws IOException {
        return Files.readString(workDir.resolve("hub.log"));
    }

    private String logTail() {
        try {
            String log = log();
            return log.substring(Math.max(0, log.length() - 4000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public int httpPort() {
        return httpPort;
    }

    public Path workDir() {
        return workDir;
    }

    /** SIGTERM, as a service manager stops the hub: a graceful shutdown. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** A fresh folder under target/ for one hub process. */
    public static Path newWorkDir(String name) {
        return new File("target/test-data/" + System.getProperty("yk.test.run", "local")).toPath().toAbsolutePath()
                .resolve(name + "-" + java.util.UUID.randomUUID().toString().substring(0, 8));
    }
}
