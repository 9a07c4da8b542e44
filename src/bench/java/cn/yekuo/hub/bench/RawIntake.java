package cn.yekuo.hub.bench;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Ceiling (a): durable intake without Camel or Spring. A plain JMS client on the hub's own embedded broker (persistent
 * messages) consumes in a transacted session; per message it parses the JSON, inserts the case, one timeline row and
 * one outbox row (already marked sent, so the hub's relay leaves it alone) over plain JDBC on the hub's database,
 * commits the database, sends one status message and commits the JMS session.
 */
final class RawIntake implements AutoCloseable {

    static final String IN = "bench.raw.applications";
    static final String STATUS = "bench.raw.status";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final Connection connection;

    RawIntake(String brokerUrl, String user, String password, DataSource db, boolean postgres, int consumers) throws Exception {
        connection = new ActiveMQConnectionFactory(brokerUrl, user, password).createConnection();
        connection.start();
        String nextval = postgres ? "select nextval('case_no_seq')" : "select next value for case_no_seq";
        for (int i = 0; i < consumers; i++) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(IN));
            MessageProducer producer = session.createProducer(session.createQueue(STATUS));
            java.sql.Connection jdbc = db.getConnection();
            jdbc.setAutoCommit(false);
            Thread t = new Thread(() -> loop(session, consumer, producer, jdbc, nextval), "raw-intake-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(Session session, MessageConsumer consumer, MessageProducer producer, java.sql.Connection jdbc, String nextval) {
        try (jdbc;
             PreparedStatement seq = jdbc.prepareStatement(nextval);
             PreparedStatement insertCase = jdbc.prepareStatement("""
                     insert into yk_case (case_no, application_no, service_type, stage, customer_id, customer_name, contact_name,
                       phone, email, site_address, supply_station, supply_voltage_kv, transformer_kva, existing_kva, power_sources,
                       materials, requested_date, submitted_at, created_at, updated_at)
                     values (?, ?, ?, 'RECEIVED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", new String[] {"id"});
             PreparedStatement insertTimeline = jdbc.prepareStatement(
                     "insert into case_timeline (case_id, at, actor, kind, stage, summary) values (?, ?, 'BILLING', 'STAGE_CHANGED', 'RECEIVED', ?)");
             PreparedStatement insertOutbox = jdbc.prepareStatement("""
                     insert into outbox (case_id, channel, message_id, group_key, headers, payload, created_at, sent_at)
                     values (?, 'billing-status', ?, ?, ?, ?, ?, ?)""")) {
            while (running.get()) {
                Message m = consumer.receive(200);
                if (m == null) {
                    continue;
                }
                JsonNode j = JSON.readTree(((TextMessage) m).getText());
                String applicationNo = j.path("applicationNo").asText();
                OffsetDateTime now = OffsetDateTime.now();
                Timestamp ts = Timestamp.from(now.toInstant());
                long no;
                try (ResultSet rs = seq.executeQuery()) {
                    rs.next();
                    no = rs.getLong(1);
                }
                String caseNo = String.format("YK-2026-%06d", no);
                JsonNode c = j.path("customer");
                insertCase.setString(1, caseNo);
                insertCase.setString(2, applicationNo);
                insertCase.setString(3, j.path("serviceType").asText());
                insertCase.setString(4, c.path("id").asText(null));
                insertCase.setString(5, c.path("name").asText());
                insertCase.setString(6, c.path("contactName").asText(null));
                insertCase.setString(7, c.path("phone").asText(null));
                insertCase.setString(8, c.path("email").asText(null));
                insertCase.setString(9, j.path("site").path("address").asText());
                insertCase.setString(10, j.path("site").path("supplyStation").asText());
                insertCase.setBigDecimal(11, new java.math.BigDecimal(j.path("supplyVoltageKv").asText()));
                insertCase.setInt(12, j.path("transformerKva").asInt());
                insertCase.setInt(13, j.path("existingKva").asInt());
                insertCase.setInt(14, j.path("powerSources").asInt());
                insertCase.setString(15, j.path("materials").toString());
                insertCase.setObject(16, j.hasNonNull("requestedDate") ? java.sql.Date.valueOf(j.get("requestedDate").asText()) : null);
                insertCase.setObject(17, OffsetDateTime.parse(j.path("submittedAt").asText()));
                insertCase.setObject(18, now);
                insertCase.setObject(19, now);
                insertCase.executeUpdate();
                long caseId;
                try (ResultSet keys = insertCase.getGeneratedKeys()) {
                    keys.next();
                    caseId = keys.getLong(1);
                }
                insertTimeline.setLong(1, caseId);
                insertTimeline.setObject(2, now);
                insertTimeline.setString(3, "收到用电申请 " + applicationNo + " (application received)");
                insertTimeline.executeUpdate();

                ObjectNode status = JSON.createObjectNode();
                String messageId = UUID.randomUUID().toString();
                status.put("type", "CaseStatusChanged").put("messageId", messageId).put("applicationNo", applicationNo)
                        .put("caseNo", caseNo).put("stage", "RECEIVED").putNull("previousStage").put("changedAt", now.toString())
                        .putNull("dueAt").putNull("reason");
                String payload = status.toString();
                insertOutbox.setLong(1, caseId);
                insertOutbox.setString(2, messageId);
                insertOutbox.setString(3, applicationNo);
                insertOutbox.setString(4, "{\"type\":\"CaseStatusChanged\",\"applicationNo\":\"" + applicationNo + "\"}");
                insertOutbox.setString(5, payload);
                insertOutbox.setObject(6, now);
                insertOutbox.setTimestamp(7, ts);
                insertOutbox.executeUpdate();
                jdbc.commit();

                TextMessage out = session.createTextMessage(payload);
                out.setStringProperty("type", "CaseStatusChanged");
                out.setStringProperty("applicationNo", applicationNo);
                out.setStringProperty("caseNo", caseNo);
                out.setStringProperty("JMSXGroupID", applicationNo);
                out.setStringProperty("_AMQ_DUPL_ID", messageId);
                producer.send(out);
                session.commit();
            }
        } catch (Exception e) {
            if (running.get()) {
                e.printStackTrace();
            }
        }
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        for (Thread t : threads) {
            t.join(5000);
        }
        connection.close();
    }
}
