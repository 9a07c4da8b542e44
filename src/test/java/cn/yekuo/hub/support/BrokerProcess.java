package cn.yekuo.hub.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import cn.yekuo.hub.broker.EmbeddedBroker;
import cn.yekuo.hub.config.HubProperties;

/**
 * An "external" Artemis broker in a JVM of its own (the hub's broker configuration: queues, accounts, redelivery),
 * for what only a separate process shows: a broker that is killed or restarted while the hub runs. Its journal is in
 * {@code dataDir/artemis}, its output in {@code dataDir/broker.log}; the hub's account is {@code hub} / the given password.
 */
public final class BrokerProcess implements AutoCloseable {

    private final Process process;

    private BrokerProcess(Process process) {
        this.process = process;
    }

    /** Starts the broker on {@code 127.0.0.1:port} and waits until it accepts connections. */
    public static BrokerProcess start(Path dataDir, int port, String hubPassword) throws IOException {
        Files.createDirectories(dataDir);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), BrokerProcess.class.getName(),
                dataDir.toAbsolutePath().toString(), String.valueOf(port), hubPassword);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("broker.log").toFile())).start();
        BrokerProcess broker = new BrokerProcess(p);
        await("broker listening on " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("broker exited with " + p.exitValue() + ": " + dataDir.resolve("broker.log"));
                    }
                    return listening(port);
                });
        return broker;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** {@code kill -9}: the broker stops without a word to its clients. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** The broker process: {@code <dataDir> <port> <hubPassword>}. */
    public static void main(String[] args) throws Exception {
        HubProperties.Broker settings = new HubProperties.Broker(true,
                "tcp://127.0.0.1:" + args[1] + "?protocols=CORE,AMQP,STOMP,OPENWIRE", null, "hub", args[2], "billing", "billing",
                Duration.ofSeconds(1), Duration.ofSeconds(10), 1_048_576);
        new EmbeddedBroker(settings, Path.of(args[0]), args[2]).start();
        Thread.currentThread().join(); // runs until killed
    }
}
