package cn.yekuo.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.TestPorts;

/** A Java object sent by a billing client is refused unread: the hub never deserialises what it receives. */
@HubTest
class ObjectMessageTest {

    /** Would announce its own deserialisation, as a gadget would run code. */
    static class Tripwire implements Serializable {
        static volatile boolean deserialised;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            deserialised = true;
        }
    }

    @Test
    void an_object_message_is_rejected_as_malformed_and_never_deserialised() throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(TestPorts.BROKER_URL, "billing", "billing");
        try (Connection connection = factory.createConnection(); BillingClient billing = new BillingClient(TestPorts.BROKER_URL)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var producer = session.createProducer(session.createQueue("yk.billing.applications"));
            var message = session.createObjectMessage(new Tripwire());
            message.setStringProperty("probe", "object-message");
            producer.send(message);

            connection.start();
            try (MessageConsumer status = session.createConsumer(session.createQueue("yk.billing.status"),
                    "type = 'MessageRejected' AND applicationNo IS NULL")) {
                Message answer = status.receive(Duration.ofSeconds(20).toMillis());
                assertThat(answer).as("a MessageRejected").isNotNull();
                JsonNode rejected = BillingClient.JSON.readTree(BillingClient.text(answer));
                assertThat(rejected.get("errorCode").asText()).isEqualTo("MALFORMED_JSON");
                assertThat(rejected.get("errors").get(0).asText()).contains("text or bytes message");
            }
            List<Message> dead = billing.awaitDeadLetters("probe = 'object-message'", 1, Duration.ofSeconds(10));
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).getStringProperty("yk_error_code")).isEqualTo("MALFORMED_JSON");
        }
        assertThat(Tripwire.deserialised).as("nothing the hub received was deserialised").isFalse();
    }
}
