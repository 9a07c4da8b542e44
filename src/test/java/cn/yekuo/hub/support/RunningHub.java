package cn.yekuo.hub.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.HubApplication;

/**
 * A hub started and stopped by a test, for what one shared context cannot show: restarts, outages,
 * an external broker. Each gets its own data directory and ports unless told otherwise.
 */
public final class RunningHub implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private RunningHub(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** A fresh data directory under target/ for a hub (or several hubs in turn) of one test. */
    public static Path newDataDir(String name) {
        return Path.of("target/test-data", System.getProperty("yk.test.run", "local"), name + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public static RunningHub start(Path dataDir, int brokerPort, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put("yk.data-dir", dataDir.toString());
        props.put("yk.broker.acceptor", "tcp://127.0.0.1:" + brokerPort + "?protocols=CORE,AMQP,STOMP,OPENWIRE");
        props.put("server.port", "0");
        // the embedded mail server of each hub gets free ports unless the test names them
        props.put("yk.mail.smtp-port", String.valueOf(freePort()));
        props.put("yk.mail.imap-port", String.valueOf(freePort()));
        // no catch-up mails of last month's plans and report at start unless a test asks (monthly duties, issue 6)
        props.put("yk.monthly.catch-up", "false");
        props.putAll(overrides);
        // command-line arguments outrank application.yaml (builder "properties" are only defaults)
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(HubApplication.class).run(args);
        return new RunningHub(context);
    }

    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A TCP port nothing listens on right now, never one handed out before in this JVM: two calls in a row (SMTP,
     * then IMAP) could otherwise get the same port back from the system, and the second server could not bind.
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no TCP port left that was not handed out before");
    }

    public JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
