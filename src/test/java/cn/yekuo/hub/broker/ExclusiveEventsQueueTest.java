package cn.yekuo.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.support.RunningHub;

/**
 * Per-case order of billing events with several hub nodes (issue 16): {@code yk.billing.events} is an exclusive queue,
 * so of the consumers that two nodes keep open (two JMS connections over TCP here, as two hubs hold them) only one
 * receives, in the order billing sent; when its connection goes, the other takes over, starting with the message
 * the first had not acknowledged (redelivered at once: a delayed redelivery would come after the later events). Shown on the hub's embedded broker and on an Artemis configured from
 * {@code deploy/artemis/broker.properties}, the file the external broker is started with.
 */
class ExclusiveEventsQueueTest {

    static final long RECEIVE = Duration.ofSeconds(15).toMillis();
    static final long QUIET = Duration.ofSeconds(2).toMillis();

    @Test
    void the_embedded_broker_gives_billing_events_to_one_consumer_at_a_time_in_order() throws Exception {
        int port = RunningHub.freePort();
        HubProperties.Broker settings = new HubProperties.Broker(true, "tcp://127.0.0.1:" + port + "?protocols=CORE", null,
                "hub", "hub-secret", "billing", "billing", Duration.ofSeconds(1), Duration.ofSeconds(10), 1_048_576);
        EmbeddedBroker broker = new EmbeddedBroker(settings, RunningHub.newDataDir("exclusive-events"), "hub-secret");
        broker.start();
        try {
            oneConsumerAtATime(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port, "hub", "hub-secret"));
        } finally {
            broker.stop();
        }
    }

    @Test
    void the_external_brokers_configuration_does_the_same() throws Exception {
        int port = RunningHub.freePort();
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(false);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port + "?protocols=CORE");
        config.parseProperties(Path.of("deploy/artemis/broker.properties").toAbsolutePath().toString());
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        try {
            AddressSettings events = broker.getActiveMQServer().getAddressSettingsRepository().getMatch("yk.billing.events");
            assertThat(events.getRedeliveryDelay()).as("events come back at once").isZero();
            assertThat(events.getDeadLetterAddress().toString()).as("the rest from yk.billing.#").isEqualTo("yk.dlq");
            assertThat(events.getMaxDeliveryAttempts()).isEqualTo(-1);
            oneConsumerAtATime(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port));
        } finally {
            broker.stop();
        }
    }

    private static void oneConsumerAtATime(ActiveMQConnectionFactory factory) throws Exception {
        try (factory;
             Connection billing = factory.createConnection();
             Connection nodeA = factory.createConnection();
             Connection nodeB = factory.createConnection()) {
            nodeA.start();
            nodeB.start();
            // as the hubs' consumers: transacted sessions, acknowledged on commit
            Session a = nodeA.createSession(true, Session.SESSION_TRANSACTED);
            Session b = nodeB.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer onA = a.createConsumer(a.createQueue("yk.billing.events"));
            MessageConsumer onB = b.createConsumer(b.createQueue("yk.billing.events"));
            Session send = billing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = send.createProducer(send.createQueue("yk.billing.events"));

            send(send, producer, 0, 20);
            List<Integer> first = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Message m = onA.receive(RECEIVE);
                assertThat(m).as("event %d reaches the first consumer", i).isNotNull();
                first.add(m.getIntProperty("seq"));
                a.commit();
            }
            assertThat(first).as("every event to one consumer, in billing's order").containsExactlyElementsOf(range(0, 20));
            assertThat(onB.receive(QUIET)).as("the second node's consumer receives nothing meanwhile").isNull();

            // the first node goes while it holds an event it has not acknowledged: its connection drops (a crash)
            send(send, producer, 20, 30);
            assertThat(onA.receive(RECEIVE).getIntProperty("seq")).isEqualTo(20);
            a.commit();
            assertThat(onA.receive(RECEIVE).getIntProperty("seq")).isEqualTo(21);
            ((org.apache.activemq.artemis.jms.client.ActiveMQConnection) nodeA).getSessionFactory().getConnection()
                    .getTransportConnection().forceClose();

            List<Integer> second = new ArrayList<>();
            for (int i = 21; i < 30; i++) {
                Message m = onB.receive(RECEIVE);
                assertThat(m).as("event %d reaches the consumer that took over", i).isNotNull();
                second.add(m.getIntProperty("seq"));
                b.commit();
            }
            assertThat(second).as("the other node takes over with the unacknowledged event, in order")
                    .containsExactlyElementsOf(range(21, 30));
        }
    }

    private static void send(Session session, MessageProducer producer, int from, int to) throws JMSException {
        for (int i = from; i < to; i++) {
            Message m = session.createTextMessage("{\"seq\":" + i + "}");
            m.setIntProperty("seq", i);
            producer.send(m);
        }
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }
}
