package cn.yekuo.hub.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.jms.ConnectionFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;

/**
 * The billing system of the demo: a JMS client on the hub's broker with billing's account, exactly as a real one
 * would connect. Once the hub is up it submits three applications (complete; missing materials; not eligible), then
 * listens to {@code yk.billing.status}: a case awaiting materials gets them a moment later, a case waiting for its
 * contract gets the arrears cleared, the fees settled and the contract signed. {@link DemoRoutes} does the timing
 * and the JMS; this class says what billing sends.
 */
@Component
@Profile("demo")
public class DemoBilling {

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

    public DemoBilling(HubProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.delay = properties.demo().replyDelay();
    }

    /** How long the demo's billing and units take to answer. */
    Duration delay() {
        return delay;
    }

    /** Billing's own connection to the hub's broker, with billing's account (not the hub's). */
    ConnectionFactory connectionFactory() {
        HubProperties.Broker broker = properties.broker();
        String url = broker.embedded() ? broker.acceptor().replaceFirst("\\?.*", "") : broker.url();
        return new ActiveMQConnectionFactory(url, broker.billingUser(), broker.billingPassword());
    }

    /** Route {@code demo-billing-submits}: the three applications, once, a moment after the start. */
    public List<String> applications() throws IOException {
        List<String> applications = new ArrayList<>();
        for (String name : APPLICATIONS) {
            ObjectNode app = template(name);
            app.put("messageId", UUID.randomUUID().toString());
            app.put("applicationNo", "DEMO-" + name.toUpperCase().replace('-', '_') + "-" + UUID.randomUUID().toString().substring(0, 8));
            app.put("submittedAt", now());
            log.info("Demo billing: submitting application {} ({}) for {}", app.get("applicationNo").asText(), name,
                    app.get("customer").get("name").asText());
            applications.add(app.toString());
        }
        return applications;
    }

    /** Route {@code demo-billing-status}: what billing will answer to a status message (sent a moment later). */
    public List<Event> answers(String statusMessage) {
        try {
            JsonNode status = JSON.readTree(statusMessage);
            if (!"CaseStatusChanged".equals(status.path("type").asText())) {
                log.warn("Demo billing received {}", status);
                return List.of();
            }
            String applicationNo = status.get("applicationNo").asText();
            String stage = status.get("stage").asText();
            log.info("Demo billing: {} ({}) is now {}", status.get("caseNo").asText(), applicationNo, stage);
            if ("AWAITING_MATERIALS".equals(stage)) {
                return List.of(new Event("MaterialsSupplemented", applicationNo, "suppliedAt", Map.of("materials", MISSING)));
            } else if ("CONTRACT".equals(stage)) {
                return List.of(new Event("ArrearsCleared", applicationNo, "clearedAt", Map.of("customerId", "demo-customer")),
                        new Event("FeesSettled", applicationNo, "paidAt", Map.of("amount", "12800.00")),
                        new Event("ContractSigned", applicationNo, "signedAt",
                                Map.of("contractNo", "GYD-DEMO-" + applicationNo.substring(applicationNo.length() - 8))));
            }
        } catch (Exception e) {
            log.warn("Demo billing could not read a status message: {}", e.toString());
        }
        return List.of();
    }

    /** An event billing will send; its time is the moment it is sent. */
    public record Event(String type, String applicationNo, String timeField, Map<String, Object> fields) {
    }

    /** Route {@code demo-billing-events}, after its delay: the event's message, timed now. */
    public String message(Event event) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", event.type());
        e.put("messageId", UUID.randomUUID().toString());
        e.put("applicationNo", event.applicationNo());
        e.put(event.timeField(), now());
        event.fields().forEach((k, v) -> e.set(k, JSON.valueToTree(v)));
        log.info("Demo billing: sent {} for {}", event.type(), event.applicationNo());
        return e.toString();
    }

    private String now() {
        return OffsetDateTime.now(clock).atZoneSameInstant(properties.businessZone()).format(TIME);
    }

    private static ObjectNode template(String name) throws IOException {
        try (InputStream in = new ClassPathResource("demo/" + name + ".json").getInputStream()) {
            return (ObjectNode) JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
