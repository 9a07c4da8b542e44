package cn.yekuo.hub.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.FollowedExchange;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.TestPorts;

/**
 * The {@code billing-events} route on its own (routes/billing-events.yaml), followed message by message with Camel's
 * notifications on the real broker: an event is consumed, applied to its case by the events bean and committed before
 * the route is done with it; an event the bean refuses leaves through the shared error handling
 * (routes/billing-errors.yaml): dead-lettered unchanged and answered {@code MessageRejected}.
 */
@HubTest
class BillingEventsRouteTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String ROUTE = "billing-events";

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;

    BillingClient billing;

    @BeforeEach
    void connect() {
        billing = new BillingClient(TestPorts.BROKER_URL);
    }

    @AfterEach
    void close() {
        billing.close();
    }

    NotifyBuilder ofMessage(String correlationId) {
        return new NotifyBuilder(camel).fromRoute(ROUTE).filter(FollowedExchange.jmsCorrelationId(correlationId));
    }

    static String event(String type, String messageId, String applicationNo, String fields) {
        return "{\"type\":\"" + type + "\",\"messageId\":\"" + messageId + "\",\"applicationNo\":\"" + applicationNo + "\"," + fields + "}";
    }

    static String now() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").format(OffsetDateTime.now());
    }

    @Test
    void an_event_is_consumed_applied_to_its_case_before_the_route_completes_and_answered() throws Exception {
        ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        billing.sendApplication(app.toString());
        await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "select count(*) from yk_case where application_no = ? and stage = 'SCHEME'", Integer.class, applicationNo) == 1);
        assertThat(billing.awaitStatus(applicationNo, 3, WAIT)).hasSize(3); // RECEIVED, ACCEPTED, SCHEME
        String correlationId = UUID.randomUUID().toString();
        NotifyBuilder completed = ofMessage(correlationId).whenCompleted(1).create();

        billing.send("yk.billing.events", event("ApplicationWithdrawn", UUID.randomUUID().toString(), applicationNo,
                "\"reason\":\"客户撤回\",\"withdrawnAt\":\"" + now() + "\""), correlationId);

        assertThat(completed.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the route completed the event").isTrue();
        // no waiting here: the case changed in the transaction the route completed
        assertThat(jdbc.queryForObject("select stage from yk_case where application_no = ?", String.class, applicationNo))
                .isEqualTo("WITHDRAWN");
        List<JsonNode> status = billing.awaitStatus(applicationNo, 1, WAIT);
        assertThat(status).singleElement().satisfies(m -> {
            assertThat(m.get("type").asText()).isEqualTo("CaseStatusChanged");
            assertThat(m.get("stage").asText()).isEqualTo("WITHDRAWN");
        });
    }

    @Test
    void an_event_the_bean_refuses_is_dead_lettered_unchanged_and_answered_by_the_error_handling() throws Exception {
        String messageId = UUID.randomUUID().toString();
        String applicationNo = "SG186-UNKNOWN-" + messageId.substring(0, 8);
        String body = event("FeesSettled", messageId, applicationNo, "\"amount\":\"12800.00\",\"paidAt\":\"" + now() + "\"");
        String correlationId = UUID.randomUUID().toString();
        FollowedExchange message = FollowedExchange.jmsCorrelationId(correlationId);
        // the error handling replaces the message's headers: the exchange is recognised at its arrival by this builder
        NotifyBuilder completed = new NotifyBuilder(camel).fromRoute(ROUTE).filter(message).whenCompleted(1).create();
        NotifyBuilder rejected = new NotifyBuilder(camel).fromRoute(ROUTE).filter(message)
                .wereSentTo("jms:queue:yk.dlq").wereSentTo("jms:queue:yk.billing.status").whenCompleted(1).create();

        billing.send("yk.billing.events", body, correlationId);

        assertThat(completed.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the route completed the message").isTrue();
        assertThat(rejected.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .as("handled by the error handling: sent to the dead letters and to billing, and completed").isTrue();
        assertThat(billing.awaitRejection(messageId, WAIT)).singleElement().satisfies(m -> {
            assertThat(m.get("type").asText()).isEqualTo("MessageRejected");
            assertThat(m.get("errorCode").asText()).isEqualTo("UNKNOWN_APPLICATION");
        });
        List<Message> dead = billing.awaitDeadLetters("JMSCorrelationID = '" + correlationId + "'", 1, WAIT);
        assertThat(dead).singleElement().satisfies(m -> {
            assertThat(BillingClient.text(m)).as("unchanged").isEqualTo(body);
            assertThat(m.getStringProperty(BillingInbox.ERROR_CODE)).isEqualTo("UNKNOWN_APPLICATION");
            assertThat(m.getStringProperty(BillingInbox.ORIGINAL_QUEUE)).as("where a replay sends it").isEqualTo("yk.billing.events");
        });
    }
}
