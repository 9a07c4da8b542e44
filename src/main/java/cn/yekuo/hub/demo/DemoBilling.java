package cn.yekuo.hub.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;

/**
 * The billing system of the demo: a JMS client on the hub's broker with billing's account, exactly as a real one
 * would connect. Once the hub is up it submits three applications (complete; missing materials; not eligible), then
 * listens to {@code yk.billing.status}: a case awaiting materials gets them a moment later, a case waiting for its
 * contract gets the arrears cleared, the fees settled and the contract signed.
 */
@Component
@Profile("demo")
public class DemoBilling implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DemoBilling.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** ISO-8601 with offset and always with seconds, as the schemas want it. */
    static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    public static final List<String> APPLICATIONS = List.of("complete", "missing-materials", "not-eligible");
    /** What the capacity increase of missing-materials.json lacks. */
    private static final List<String> MISSING = List.of("AGENT_AUTHORIZATION", "SITE_PLAN", "EXISTING_CONTRACT");

    private final HubProperties properties;
    private final Clock clock;
    private final Duration delay;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-billing");
        t.setDaemon(true);
        return t;
    });
    private volatile Connection connection;
    private volatile boolean running;

    public DemoBilling(HubProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.delay = properties.demo().replyDelay();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void play() {
        scheduler.schedule(this::submitAll, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void submitAll() {
        try {
            connect();
            for (String name : APPLICATIONS) {
                ObjectNode app = template(name);
                app.put("messageId", UUID.randomUUID().toString());
                app.put("applicationNo", "DEMO-" + name.toUpperCase().replace('-', '_') + "-" + UUID.randomUUID().toString().substring(0, 8));
                app.put("submittedAt", now());
                log.info("Demo billing: submitting application {} ({}) for {}", app.get("applicationNo").asText(), name,
                        app.get("customer").get("name").asText());
                send("yk.billing.applications", app);
            }
        } catch (Exception e) {
            log.error("Demo billing could not submit its applications", e);
        }
    }

    private synchronized void connect() throws JMSException {
        if (connection != null) {
            return;
        }
        HubProperties.Broker broker = properties.broker();
        String url = broker.embedded() ? broker.acceptor().replaceFirst("\\?.*", "") : broker.url();
        Connection c = new ActiveMQConnectionFactory(url, broker.billingUser(), broker.billingPassword()).createConnection();
        Session listening = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = listening.createConsumer(listening.createQueue("yk.billing.status"));
        consumer.setMessageListener(this::onStatus);
        c.start();
        connection = c;
    }

    private void onStatus(Message message) {
        try {
            JsonNode status = JSON.readTree(((TextMessage) message).getText());
            if (!"CaseStatusChanged".equals(status.path("type").asText())) {
                log.warn("Demo billing received {}", status);
                return;
            }
            String applicationNo = status.get("applicationNo").asText();
            String stage = status.get("stage").asText();
            log.info("Demo billing: {} ({}) is now {}", status.get("caseNo").asText(), applicationNo, stage);
            if ("AWAITING_MATERIALS".equals(stage)) {
                later(() -> send("yk.billing.events", event("MaterialsSupplemented", applicationNo, "suppliedAt",
                        Map.of("materials", MISSING))));
            } else if ("CONTRACT".equals(stage)) {
                later(() -> send("yk.billing.events", event("ArrearsCleared", applicationNo, "clearedAt",
                        Map.of("customerId", "demo-customer"))));
                later(() -> send("yk.billing.events", event("FeesSettled", applicationNo, "paidAt", Map.of("amount", "12800.00"))));
                later(() -> send("yk.billing.events", event("ContractSigned", applicationNo, "signedAt",
                        Map.of("contractNo", "GYD-DEMO-" + applicationNo.substring(applicationNo.length() - 8)))));
            }
        } catch (Exception e) {
            log.warn("Demo billing could not read a status message: {}", e.toString());
        }
    }

    private ObjectNode event(String type, String applicationNo, String timeField, Map<String, Object> fields) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", type);
        e.put("messageId", UUID.randomUUID().toString());
        e.put("applicationNo", applicationNo);
        e.put(timeField, now());
        fields.forEach((k, v) -> e.set(k, JSON.valueToTree(v)));
        return e;
    }

    private void later(Runnable task) {
        scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void send(String queue, JsonNode body) {
        // one session per send: the listener's session belongs to the JMS thread
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            producer.send(session.createTextMessage(body.toString()));
            if (!queue.endsWith("applications")) {
                log.info("Demo billing: sent {} for {}", body.get("type").asText(), body.get("applicationNo").asText());
            }
        } catch (JMSException e) {
            log.warn("Demo billing could not send to {}: {}", queue, e.toString());
        }
    }

    private String now() {
        return OffsetDateTime.now(clock).atZoneSameInstant(properties.businessZone()).format(TIME);
    }

    private static ObjectNode template(String name) throws IOException {
        try (InputStream in = new ClassPathResource("demo/" + name + ".json").getInputStream()) {
            return (ObjectNode) JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    // stopped before the hub's broker and routes (higher phase stops first)

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        scheduler.shutdownNow();
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (JMSException ignored) {
                // the broker may be gone already
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 10;
    }
}
