package cn.yekuo.hub.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An H2 database server over TCP in a JVM of its own ({@code org.h2.tools.Server -tcp}, files in {@code baseDir}), for
 * an outage the hub must ride out: stopping it closes the database for good, and a new one opens it afresh. (A server
 * inside the test JVM shares H2's engine with every other hub of the run, where a database still closing after the
 * stop could be handed to the restarted server as closed.) Its output is in {@code baseDir/h2-server.log}.
 */
public final class DatabaseProcess implements AutoCloseable {

    private final Process process;

    private DatabaseProcess(Process process) {
        this.process = process;
    }

    /** Starts the server on {@code 127.0.0.1:port} and waits until it accepts connections. */
    public static DatabaseProcess start(Path baseDir, int port) throws IOException {
        Files.createDirectories(baseDir);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), "org.h2.tools.Server", "-tcp", "-tcpPort", String.valueOf(port),
                "-ifNotExists", "-baseDir", baseDir.toAbsolutePath().toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(baseDir.resolve("h2-server.log").toFile())).start();
        await("database listening on " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("database server exited with " + p.exitValue() + ": "
                                + baseDir.resolve("h2-server.log"));
                    }
                    return listening(port);
                });
        return new DatabaseProcess(p);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Stops the server (SIGTERM: H2 closes its files) and waits until the process is gone. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
