package cn.yekuo.hub.broker;

import static cn.yekuo.hub.support.BillingClient.uniqueExample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.StompClient;
import cn.yekuo.hub.support.TestPorts;

/** The billing acceptor speaks more than JMS, and it is secured. */
@HubTest
class MultiProtocolBrokerTest {

    @Test
    void a_stomp_client_sends_an_application_and_reads_its_status_messages() throws Exception {
        for (boolean withContentLength : new boolean[] {false, true}) { // text message, then bytes message
            ObjectNode app = uniqueExample("application-new-install.json");
            String applicationNo = app.get("applicationNo").asText();
            try (StompClient stomp = new StompClient("127.0.0.1", TestPorts.BROKER)) {
                assertThat(stomp.connect("billing", "billing").command()).isEqualTo("CONNECTED");
                stomp.send("SUBSCRIBE", Map.of("id", "status", "destination", "yk.billing.status",
                        "destination-type", "ANYCAST", "ack", "auto", "selector", "applicationNo = '" + applicationNo + "'"), null, false);
                stomp.send("SEND", Map.of("destination", "yk.billing.applications", "destination-type", "ANYCAST",
                        "content-type", "application/json;charset=utf-8"), app.toString(), withContentLength);
                List<String> stages = new ArrayList<>();
                while (stages.size() < 3) {
                    StompClient.Frame frame = stomp.read();
                    assertThat(frame.command()).isEqualTo("MESSAGE");
                    JsonNode status = BillingClient.JSON.readTree(frame.body());
                    assertThat(status.get("applicationNo").asText()).isEqualTo(applicationNo);
                    stages.add(status.get("stage").asText());
                }
                assertThat(stages).containsExactly("RECEIVED", "ACCEPTED", "SCHEME");
            }
        }
    }

    @Test
    void a_wrong_password_is_refused_over_stomp() throws Exception {
        try (StompClient stomp = new StompClient("127.0.0.1", TestPorts.BROKER)) {
            StompClient.Frame answer = stomp.connect("billing", "not-the-password");
            assertThat(answer.command()).isEqualTo("ERROR");
        }
    }

    @Test
    void a_wrong_password_is_refused_over_jms() {
        assertThatThrownBy(() -> new BillingClient(TestPorts.BROKER_URL, "billing", "wrong").close())
                .hasCauseInstanceOf(jakarta.jms.JMSSecurityException.class);
    }

    @Test
    void billing_may_not_read_the_applications_queue() {
        try (BillingClient billing = new BillingClient(TestPorts.BROKER_URL)) {
            assertThatThrownBy(() -> billing.await("yk.billing.applications", null, 1, java.time.Duration.ofMillis(100)))
                    .hasCauseInstanceOf(jakarta.jms.JMSSecurityException.class);
        }
    }
}
