package cn.yekuo.hub.support;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** The billing system as the hub sees it: a JMS client over TCP with the billing account. */
public final class BillingClient implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Session session;

    public BillingClient(String url) {
        this(url, "billing", "billing");
    }

    public BillingClient(String url, String user, String password) {
        try {
            connection = new ActiveMQConnectionFactory(url, user, password).createConnection();
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    public void send(String queue, String body) {
        try (var producer = session.createProducer(session.createQueue(queue))) {
            producer.send(session.createTextMessage(body));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends with a JMS correlation id of the test's choosing: the hub's route sees it as header {@code JMSCorrelationID},
     * so a {@code NotifyBuilder} can follow this one message through the routes.
     */
    public void send(String queue, String body, String correlationId) {
        try (var producer = session.createProducer(session.createQueue(queue))) {
            var message = session.createTextMessage(body);
            message.setJMSCorrelationID(correlationId);
            producer.send(message);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bytes message holding {@code body}, as billing systems that write UTF-8 themselves send it. */
    public void sendBytes(String queue, byte[] body) {
        try (var producer = session.createProducer(session.createQueue(queue))) {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(body);
            producer.send(m);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    public void sendApplication(String body) {
        send("yk.billing.applications", body);
    }

    public void sendEvent(String body) {
        send("yk.billing.events", body);
    }

    /** The next {@code count} status messages about an application, in the order the hub sent them. */
    public List<JsonNode> awaitStatus(String applicationNo, int count, Duration timeout) {
        return await("yk.billing.status", "applicationNo = '" + applicationNo + "'", count, timeout);
    }

    /** Waits for {@code count} messages, then for {@code quiet} to pass with no further one, and returns all. */
    public List<JsonNode> awaitStatusExactly(String applicationNo, int count, Duration timeout, Duration quiet) {
        List<JsonNode> got = awaitStatus(applicationNo, count, timeout);
        got.addAll(await("yk.billing.status", "applicationNo = '" + applicationNo + "'", Integer.MAX_VALUE, quiet));
        return got;
    }

    public List<JsonNode> awaitRejection(String rejectedMessageId, Duration timeout) {
        return await("yk.billing.status", "rejectedMessageId = '" + rejectedMessageId + "'", 1, timeout);
    }

    public List<Message> awaitDeadLetters(String selector, int count, Duration timeout) {
        List<Message> got = new ArrayList<>();
        try (MessageConsumer consumer = session.createConsumer(session.createQueue("yk.dlq"), selector)) {
            long end = System.nanoTime() + timeout.toNanos();
            while (got.size() < count) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                Message m = consumer.receive(left);
                if (m != null) {
                    got.add(m);
                }
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
        return got;
    }

    public List<JsonNode> await(String queue, String selector, int count, Duration timeout) {
        List<JsonNode> got = new ArrayList<>();
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue), selector)) {
            long end = System.nanoTime() + timeout.toNanos();
            while (got.size() < count) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                Message m = consumer.receive(left);
                if (m != null) {
                    got.add(JSON.readTree(text(m)));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return got;
    }

    /** A billing event of {@code type} for the application, with a fresh message id and the given name/value pairs. */
    public static String event(String type, String applicationNo, Object... fields) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", type);
        e.put("messageId", UUID.randomUUID().toString());
        e.put("applicationNo", applicationNo);
        for (int i = 0; i < fields.length; i += 2) {
            e.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        }
        return e.toString();
    }

    public static String text(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            return t.getText();
        }
        BytesMessage b = (BytesMessage) m;
        byte[] bytes = new byte[(int) b.getBodyLength()];
        b.readBytes(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (JMSException ignored) {
            // closing a client that lost its broker
        }
    }

    /** An example of docs/contract.md (src/test/resources/examples), verbatim. */
    public static String example(String file) {
        try (var in = BillingClient.class.getResourceAsStream("/examples/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no example " + file + " in src/test/resources/examples");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An example made unique: a fresh messageId and applicationNo, so tests can share one hub. */
    public static ObjectNode uniqueExample(String file) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(example(file));
            node.put("messageId", UUID.randomUUID().toString());
            node.put("applicationNo", "SG186-T-" + UUID.randomUUID().toString().substring(0, 13));
            return node;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
