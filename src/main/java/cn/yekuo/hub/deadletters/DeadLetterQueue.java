package cn.yekuo.hub.deadletters;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.stereotype.Service;

import cn.yekuo.hub.billing.BillingInbox;
import cn.yekuo.hub.billing.BillingMessageReader;
import cn.yekuo.hub.broker.EmbeddedBroker;

/**
 * The dead-letter queue {@code yk.dlq} for operators (issue 20 item 3): list, inspect, replay a message to the queue it
 * came from, or discard it with a reason; each action audited ({@link DeadLetterLog}) with the user.
 * <p>
 * Operations use a connection of their own from the broker's factory, not the hub's cached one: a consumer with a
 * one-message selector must really close afterwards (a cached consumer would stay subscribed and hold its prefetch).
 * A replay takes the message off {@code yk.dlq} and sends its copy in one JMS transaction, so it is never both on the
 * queue and replayed, nor lost between the two.
 */
@Service
public class DeadLetterQueue {

    public static final String QUEUE = EmbeddedBroker.DLQ;
    /** Set by the hub on a dead letter: the queue it was read from. */
    public static final String ORIGINAL_QUEUE = BillingInbox.ORIGINAL_QUEUE;
    /** Set on a replayed copy: the dead letter it was made from, and who replayed it. */
    public static final String REPLAYED_FROM = "yk_replayed_from";
    public static final String REPLAYED_BY = "yk_replayed_by";
    static final Set<String> REPLAY_QUEUES = Set.of(EmbeddedBroker.APPLICATIONS, EmbeddedBroker.EVENTS);
    public static final int MAX_LISTED = 200;
    public static final int MAX_COUNTED = 10_000;
    public static final int MAX_SHOWN_BODY = 64 * 1024;
    public static final int MAX_REASON = 500;

    private static final Logger log = LoggerFactory.getLogger(DeadLetterQueue.class);
    private static final Pattern JMS_ID = Pattern.compile("ID:[0-9A-Za-z\\-]{1,100}");
    // Artemis' own property of a message it moved to the dead-letter address after too many deliveries
    private static final String ARTEMIS_ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";
    private static final Set<String> EVENT_TYPES = Set.of("MaterialsSupplemented", "FeesSettled", "ArrearsCleared",
            "ContractSigned", "ApplicationWithdrawn");
    private static final long RECEIVE_TIMEOUT_MS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectionFactory connections;
    private final DeadLetterLog audit;
    private final Clock clock;

    public DeadLetterQueue(ConnectionFactory connectionFactory, DeadLetterLog audit, Clock clock) {
        this.connections = connectionFactory instanceof CachingConnectionFactory caching
                ? caching.getTargetConnectionFactory() : connectionFactory;
        this.audit = audit;
        this.clock = clock;
    }

    /** What is waiting: the newest {@link #MAX_LISTED} first, and how many in all (counted up to {@link #MAX_COUNTED}). */
    public record Listing(int total, boolean totalCapped, List<DeadLetter> letters) {
    }

    public Listing list() {
        return list(null);
    }

    /**
     * The letters whose billing {@code messageId} or {@code applicationNo}, or JMS id, is {@code search} (all when
     * null), newest first; {@code total} counts the matching ones.
     */
    public Listing list(String search) {
        String wanted = search == null || search.isBlank() ? null : search.strip();
        return withSession(false, session -> {
            ArrayDeque<DeadLetter> newest = new ArrayDeque<>();
            int browsed = 0;
            int total = 0;
            try (QueueBrowser browser = session.createBrowser(session.createQueue(QUEUE))) {
                Enumeration<?> messages = browser.getEnumeration();
                while (messages.hasMoreElements() && browsed < MAX_COUNTED) {
                    Message m = (Message) messages.nextElement();
                    browsed++;
                    DeadLetter letter = letter(m);
                    if (wanted != null && !wanted.equals(letter.messageId()) && !wanted.equals(letter.applicationNo())
                            && !wanted.equals(letter.id())) {
                        continue;
                    }
                    total++;
                    newest.addFirst(letter);
                    if (newest.size() > MAX_LISTED) {
                        newest.removeLast();
                    }
                }
                return new Listing(total, messages.hasMoreElements(), List.copyOf(newest));
            }
        });
    }

    /** A dead letter with its body (UTF-8, cut at {@link #MAX_SHOWN_BODY}), its JMS properties and its audit. */
    public record Inspection(DeadLetter letter, String body, boolean bodyCut, Map<String, Object> properties,
                             List<DeadLetterLog.Entry> history) {
    }

    /** The outcome of an action. */
    public record Result(Status status, String message, DeadLetter letter) {
        public enum Status { DONE, INVALID, NOT_FOUND, CONFLICT }
    }

    /** How many messages wait on {@code yk.dlq} (up to {@link #MAX_COUNTED}), bodies not read. */
    public int count() {
        return withSession(false, session -> {
            int n = 0;
            try (QueueBrowser browser = session.createBrowser(session.createQueue(QUEUE))) {
                for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements() && n < MAX_COUNTED; e.nextElement()) {
                    n++;
                }
            }
            return n;
        });
    }

    public Optional<Inspection> inspect(String id) {
        if (!validId(id)) {
            return Optional.empty();
        }
        Optional<Inspection> found = withSession(false, session -> {
            try (QueueBrowser browser = session.createBrowser(session.createQueue(QUEUE), selector(id))) {
                Enumeration<?> messages = browser.getEnumeration();
                if (!messages.hasMoreElements()) {
                    return Optional.empty();
                }
                Message m = (Message) messages.nextElement();
                byte[] body = body(m);
                boolean cut = body.length > MAX_SHOWN_BODY;
                String text = new String(body, 0, Math.min(body.length, MAX_SHOWN_BODY), StandardCharsets.UTF_8);
                return Optional.of(new Inspection(letter(m), text, cut, properties(m), List.of()));
            }
        });
        return found.map(i -> new Inspection(i.letter(), i.body(), i.bodyCut(), i.properties(), audit.ofLetter(id)));
    }

    public List<DeadLetterLog.Entry> history(String id) {
        return validId(id) ? audit.ofLetter(id) : List.of();
    }

    /** Sends the message back to the queue it came from, without the hub's error headers; the hub reads it anew. */
    public Result replay(String id, String reason, String user) {
        return act(id, DeadLetterLog.REPLAY, reason, false, user);
    }

    /** Removes the message for good; a reason is required. */
    public Result discard(String id, String reason, String user) {
        return act(id, DeadLetterLog.DISCARD, reason, true, user);
    }

    private Result act(String id, String action, String reason, boolean reasonRequired, String user) {
        if (!validId(id)) {
            return new Result(Result.Status.NOT_FOUND, "dead letter " + id + " is not on " + QUEUE, null);
        }
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (reasonRequired && why == null) {
            return new Result(Result.Status.INVALID, "reason: is required", null);
        }
        if (why != null && why.length() > MAX_REASON) {
            return new Result(Result.Status.INVALID, "reason: at most " + MAX_REASON + " characters", null);
        }
        return withSession(true, session -> {
            Message m;
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE), selector(id))) {
                m = consumer.receive(RECEIVE_TIMEOUT_MS);
            }
            if (m == null) {
                session.rollback();
                List<DeadLetterLog.Entry> done = audit.ofLetter(id);
                if (done.isEmpty()) {
                    return new Result(Result.Status.NOT_FOUND, "dead letter " + id + " is not on " + QUEUE, null);
                }
                DeadLetterLog.Entry last = done.get(done.size() - 1);
                return new Result(Result.Status.CONFLICT, "dead letter " + id + " has left " + QUEUE + ": "
                        + last.action() + " by " + last.user() + " at " + last.at().toInstant(), null);
            }
            DeadLetter letter = letter(m);
            if (DeadLetterLog.REPLAY.equals(action)) {
                if (!letter.replayable()) {
                    session.rollback();
                    return new Result(Result.Status.CONFLICT, "dead letter " + id + " came from "
                            + (letter.queue() == null ? "an unknown queue" : letter.queue())
                            + ": only messages of " + String.join(" or ", REPLAY_QUEUES.stream().sorted().toList())
                            + " can be replayed", letter);
                }
                Queue target = session.createQueue(letter.queue());
                try (MessageProducer producer = session.createProducer(target)) {
                    producer.send(copy(session, m, id, user));
                }
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            String result = DeadLetterLog.REPLAY.equals(action) ? "sent to " + letter.queue() : "removed";
            // the audit row first: a failed insert rolls the JMS work back, so nothing happens unaudited
            long entry;
            try {
                entry = audit.record(letter, action, user, now, why, result);
            } catch (RuntimeException e) {
                session.rollback();
                throw e;
            }
            try {
                session.commit();
            } catch (JMSException e) {
                audit.result(entry, "FAILED: " + e.getMessage());
                throw e;
            }
            log.info("Dead letter {} ({} {}, {}): {} by {}{}", id, letter.type(), letter.messageId(), letter.errorCode(),
                    result, user, why == null ? "" : " — " + why);
            return new Result(Result.Status.DONE, "dead letter " + id + " " + result, letter);
        });
    }

    /** The replayed copy: same body, type and billing's properties; the hub's error headers left behind. */
    private static Message copy(Session session, Message original, String id, String user) throws JMSException {
        Message copy;
        if (original instanceof BytesMessage) {
            BytesMessage bytes = session.createBytesMessage();
            bytes.writeBytes(body(original));
            copy = bytes;
        } else {
            copy = session.createTextMessage(new String(body(original), StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, Object> p : properties(original).entrySet()) {
            String name = p.getKey();
            if (!name.startsWith("yk_error") && !name.equals(ORIGINAL_QUEUE) && !name.startsWith("JMSX")
                    && !name.startsWith("_AMQ") && !name.startsWith("yk_replayed") && !name.startsWith("JMS_")) {
                copy.setObjectProperty(name, p.getValue());
            }
        }
        copy.setJMSCorrelationID(original.getJMSCorrelationID());
        copy.setJMSType(original.getJMSType());
        copy.setStringProperty(REPLAYED_FROM, id);
        copy.setStringProperty(REPLAYED_BY, user);
        return copy;
    }

    private static DeadLetter letter(Message m) throws JMSException {
        byte[] body = body(m);
        String[] ids = BillingMessageReader.peekIds(body);
        String type = type(body);
        String queue = firstNonBlank(m.getStringProperty(ORIGINAL_QUEUE), artemisOriginalQueue(m), queueOfType(type));
        return new DeadLetter(m.getJMSMessageID(), queue, m.getStringProperty(BillingInbox.ERROR_CODE),
                m.getStringProperty(BillingInbox.ERROR_MESSAGE), type, ids[0], ids[1],
                m.getJMSTimestamp() == 0 ? null : OffsetDateTime.ofInstant(Instant.ofEpochMilli(m.getJMSTimestamp()), ZoneOffset.UTC),
                body.length);
    }

    private static String artemisOriginalQueue(Message m) throws JMSException {
        Object value = m.getObjectProperty(ARTEMIS_ORIGINAL_QUEUE);
        return value == null ? null : value.toString();
    }

    /** A dead letter from before the hub recorded its queue: the body's type says which queue billing sent it to. */
    private static String queueOfType(String type) {
        if ("ApplicationSubmitted".equals(type)) {
            return EmbeddedBroker.APPLICATIONS;
        }
        return type != null && EVENT_TYPES.contains(type) ? EmbeddedBroker.EVENTS : null;
    }

    private static String type(byte[] body) {
        if (body.length == 0 || body.length > MAX_SHOWN_BODY) {
            return null;
        }
        try {
            JsonNode json = JSON.readTree(body);
            JsonNode type = json == null ? null : json.get("type");
            return type != null && type.isTextual() && type.asText().length() <= 64 ? type.asText() : null;
        } catch (java.io.IOException e) {
            return null; // not JSON: the error code says why it is here
        }
    }

    private static byte[] body(Message m) throws JMSException {
        if (m instanceof TextMessage text) {
            String s = text.getText();
            return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
        }
        if (m instanceof BytesMessage bytes) {
            bytes.reset();
            byte[] all = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(all);
            bytes.reset();
            return all;
        }
        return new byte[0]; // other kinds are never opened (the hub denies deserialisation)
    }

    private static Map<String, Object> properties(Message m) throws JMSException {
        Map<String, Object> all = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Enumeration<?> e = m.getPropertyNames(); e.hasMoreElements(); ) {
            names.add(String.valueOf(e.nextElement()));
        }
        Collections.sort(names);
        for (String name : names) {
            all.put(name, m.getObjectProperty(name));
        }
        return all;
    }

    private static boolean validId(String id) {
        return id != null && JMS_ID.matcher(id).matches();
    }

    /** The id is checked against {@link #JMS_ID} first, so it cannot change the selector's meaning. */
    private static String selector(String id) {
        return "JMSMessageID = '" + id + "'";
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    @FunctionalInterface
    private interface SessionWork<T> {
        T apply(Session session) throws JMSException;
    }

    private <T> T withSession(boolean transacted, SessionWork<T> work) {
        try (Connection connection = connections.createConnection()) {
            connection.start();
            try (Session session = connection.createSession(transacted, transacted ? Session.SESSION_TRANSACTED : Session.AUTO_ACKNOWLEDGE)) {
                return work.apply(session);
            }
        } catch (JMSException e) {
            throw new IllegalStateException("the dead-letter queue cannot be read: " + e.getMessage(), e);
        }
    }
}
