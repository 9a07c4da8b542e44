package cn.yekuo.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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

import cn.yekuo.hub.billing.BillingInbox;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.FollowedExchange;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.TestPorts;


/**
 * The {@code billing-intake} route on its own (routes/billing-intake.yaml), followed message by message with Camel's
 * notifications on the real broker: an application is consumed, handed to the intake bean and committed before the
 * route is done with it; bad input leaves through the shared error handling (routes/billing-errors.yaml).
 */
@HubTest
class BillingIntakeRouteTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String ROUTE = "billing-intake";

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

    /** The route's exchange of the message sent with this correlation id, once done as {@code done} builds it. */
    NotifyBuilder ofMessage(String correlationId) {
        return new NotifyBuilder(camel).fromRoute(ROUTE).filter(FollowedExchange.jmsCorrelationId(correlationId));
    }

    @Test
    void an_application_is_consumed_passed_to_the_intake_committed_before_the_route_completes_and_answered() throws Exception {
        ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        String correlationId = UUID.randomUUID().toString();
        NotifyBuilder completed = ofMessage(correlationId).whenCompleted(1).create();

        billing.send("yk.billing.applications", app.toString(), correlationId);

        assertThat(completed.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the route completed the message").isTrue();
        // no waiting here: the case is committed before the route is done (and the JMS message acknowledged)
        assertThat(jdbc.queryForList("select stage from yk_case where application_no = ?", String.class, applicationNo))
                .containsExactly("SCHEME");
        List<JsonNode> status = billing.awaitStatus(applicationNo, 3, WAIT);
        assertThat(status).extracting(m -> m.get("type").asText() + " " + m.get("stage").asText())
                .containsExactly("CaseStatusChanged RECEIVED", "CaseStatusChanged ACCEPTED", "CaseStatusChanged SCHEME");
    }

    @Test
    void bad_input_is_handed_to_the_rejection_route_dead_lettered_unchanged_and_answered_without_a_case() throws Exception {
        String messageId = UUID.randomUUID().toString();
        String applicationNo = "SG186-ROUTE-" + messageId.substring(0, 8);
        String body = "{\"type\":\"ApplicationSubmitted\",\"messageId\":\"" + messageId + "\",\"applicationNo\":\"" + applicationNo + "\"}";
        String correlationId = UUID.randomUUID().toString();
        FollowedExchange message = FollowedExchange.jmsCorrelationId(correlationId);
        // the error handling replaces the message's headers: the exchange is recognised at its arrival by this builder
        NotifyBuilder completed = new NotifyBuilder(camel).fromRoute(ROUTE).filter(message).whenCompleted(1).create();
        NotifyBuilder rejected = new NotifyBuilder(camel).fromRoute(ROUTE).filter(message)
                .wereSentTo("jms:queue:yk.dlq").wereSentTo("jms:queue:yk.billing.status").whenCompleted(1).create();

        billing.send("yk.billing.applications", body, correlationId);

        assertThat(completed.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the route completed the message").isTrue();
        assertThat(rejected.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .as("handled by the error handling: sent to the dead letters and to billing, and completed").isTrue();
        List<JsonNode> answer = billing.awaitRejection(messageId, WAIT);
        assertThat(answer).singleElement().satisfies(m -> {
            assertThat(m.get("type").asText()).isEqualTo("MessageRejected");
            assertThat(m.get("errorCode").asText()).isEqualTo("SCHEMA_VIOLATION");
            assertThat(m.get("applicationNo").asText()).isEqualTo(applicationNo);
        });
        List<Message> dead = billing.awaitDeadLetters("JMSCorrelationID = '" + correlationId + "'", 1, WAIT);
        assertThat(dead).singleElement().satisfies(m -> {
            assertThat(BillingClient.text(m)).as("unchanged").isEqualTo(body);
            assertThat(m.getStringProperty(BillingInbox.ERROR_CODE)).isEqualTo("SCHEMA_VIOLATION");
        });
        assertThat(jdbc.queryForObject("select count(*) from yk_case where application_no = ?", Integer.class, applicationNo))
                .as("nothing written").isZero();
    }
}
