package cn.yekuo.hub.bench;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.documents.DocumentChain;
import cn.yekuo.hub.documents.DocumentSeal;
import cn.yekuo.hub.files.StoredFiles;
import cn.yekuo.hub.mailtransport.MailAttachment;
import cn.yekuo.hub.mailtransport.MailMessages;
import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.process.CaseStates;
import cn.yekuo.hub.rendering.DocumentData;
import cn.yekuo.hub.rendering.DocumentRenderer;
import cn.yekuo.hub.rendering.DocumentType;
import cn.yekuo.hub.support.RunningHub;

/**
 * Same-work ceiling (a): the work the hub does for one accepted application (docs/benchmarks/19-intake-ceiling.md has
 * the rows, measured by {@link IntakeCensus}), written as a careful program without Camel or Spring would: a plain JMS
 * consumer in a transacted session, plain JDBC with batches on the hub's database, the hub's SMTP server over one kept
 * connection per thread, and the hub's own renderer, seal and file store for the contact card.
 *
 * <p>Per application, on the consumer's thread: (1) one database transaction with the case (final stage, state snapshot,
 * representative), the clock, 2 tasks, 5 timeline rows, 6 outbox rows and the processed message id; (2) the three
 * CaseStatusChanged and the consumed message in one JMS commit; then on the consumer's own issuer thread (one per
 * consumer, where the hub has one document issuer and one mail relay for all its consumers): (3) the two hand-off mails over SMTP; (4) the contact
 * card rendered, sealed and written to the archive, then one transaction with its document, chain and timeline rows,
 * the customer mail's outbox row and the sent marks of (2) and (3) and of the document request; (5) the customer mail
 * with the PDF over SMTP and (6) its sent mark. Outbox rows are written with a sent time from the start (then the real
 * one), so the hub's relays and issuer never pick them up. The texts (mails, snapshot, clock, timeline) are the hub's
 * own of a warm-up case, with the case's numbers put in ({@link Template}).
 */
final class SameWorkIntake implements AutoCloseable {

    static final String IN = "bench.samework.applications";
    static final String STATUS = "bench.samework.status";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The hub's own rows and texts for one accepted application, taken from a case it has just finished. */
    record Template(String caseNo, String applicationNo, String stateJson, String representativeId,
                    Map<String, Object> node, List<Map<String, Object>> tasks, List<Map<String, Object>> timeline,
                    String documentIssuedSummary, OutgoingMail handoff1, OutgoingMail handoff2, OutgoingMail customerMail,
                    String handoffHeaders1, String handoffHeaders2, String customerHeaders, DocumentData card,
                    String companyZone) {

        static Template from(RunningHub hub) {
            JdbcTemplate jdbc = hub.jdbc();
            // the newest case whose contact card went out: everything of it is written
            Map<String, Object> c = jdbc.queryForMap("""
                    select c.id, c.case_no, c.application_no, c.state_json, c.representative_id from yk_case c
                    where exists (select 1 from outbox o where o.case_id = c.id and o.channel = 'mail'
                                  and o.headers like '%CUSTOMER_DOCUMENT%' and o.sent_at is not null)
                    order by c.id desc limit 1""");
            long id = ((Number) c.get("id")).longValue();
            String caseNo = (String) c.get("case_no");
            Map<String, Object> node = jdbc.queryForMap("select * from case_node where case_id = ?", id);
            List<Map<String, Object>> tasks = jdbc.queryForList("select * from case_task where case_id = ? order by task_no", id);
            List<Map<String, Object>> timeline = jdbc.queryForList(
                    "select * from case_timeline where case_id = ? and kind <> 'DOCUMENT_ISSUED' order by id", id);
            String issued = jdbc.queryForObject("select summary from case_timeline where case_id = ? and kind = 'DOCUMENT_ISSUED'",
                    String.class, id);
            MailMessages messages = hub.bean(MailMessages.class);
            Map<String, Object> h1 = jdbc.queryForMap("select headers, payload from outbox where message_id = ?", "handoff-" + caseNo + "-T1");
            Map<String, Object> h2 = jdbc.queryForMap("select headers, payload from outbox where message_id = ?", "handoff-" + caseNo + "-T2");
            Map<String, Object> cm = jdbc.queryForMap(
                    "select headers, payload from outbox where case_id = ? and channel = 'mail' and headers like '%CUSTOMER_DOCUMENT%'", id);
            CaseRecord record = hub.bean(CaseStore.class).findByCaseNo(caseNo).orElseThrow();
            String documentNo = jdbc.queryForObject("select document_no from case_document where case_id = ?", String.class, id);
            DocumentData card = hub.bean(cn.yekuo.hub.documents.CaseDocumentData.class).build(DocumentType.CONTACT_CARD, record,
                    hub.bean(CaseStates.class).read(record.stateJson()), documentNo, OffsetDateTime.now(), 1);
            return new Template(caseNo, (String) c.get("application_no"), (String) c.get("state_json"),
                    (String) c.get("representative_id"), node, tasks, timeline, issued,
                    messages.fromPayload((String) h1.get("payload")), messages.fromPayload((String) h2.get("payload")),
                    messages.fromPayload((String) cm.get("payload")), (String) h1.get("headers"), (String) h2.get("headers"),
                    (String) cm.get("headers"), card, hub.bean(cn.yekuo.hub.config.HubProperties.class).businessZone().getId());
        }
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final List<Issuer> issuers = new ArrayList<>();
    private final Connection connection;
    private final Template t;
    private final DocumentRenderer renderer;
    private final DocumentSeal seal;
    private final StoredFiles files;
    private final boolean postgres;
    private final jakarta.mail.Session mail;
    private final int smtpPort;
    private final MailMessages messages;
    private final com.zaxxer.hikari.HikariDataSource pool;

    SameWorkIntake(RunningHub hub, String brokerUrl, String user, String password, boolean postgres, int consumers,
                   int smtpPort) throws Exception {
        this.t = Template.from(hub);
        this.renderer = hub.bean(DocumentRenderer.class);
        this.seal = hub.bean(DocumentSeal.class);
        this.files = hub.bean(StoredFiles.class);
        this.postgres = postgres;
        this.smtpPort = smtpPort;
        this.messages = hub.bean(MailMessages.class);
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(smtpPort));
        this.mail = jakarta.mail.Session.getInstance(p);
        // connections of its own, as a separate program has: borrowing two per consumer from the hub's pool (ten) while
        // the hub is measured beside it left the hub two at four consumers, and it stalled waiting for them
        com.zaxxer.hikari.HikariDataSource hubPool = hub.bean(DataSource.class).unwrap(com.zaxxer.hikari.HikariDataSource.class);
        com.zaxxer.hikari.HikariConfig own = new com.zaxxer.hikari.HikariConfig();
        own.setPoolName("same-work-ceiling");
        own.setJdbcUrl(hubPool.getJdbcUrl());
        own.setUsername(hubPool.getUsername());
        own.setPassword(hubPool.getPassword());
        own.setMaximumPoolSize(2 * consumers);
        this.pool = new com.zaxxer.hikari.HikariDataSource(own);
        DataSource db = pool;
        connection = new ActiveMQConnectionFactory(brokerUrl, user, password).createConnection();
        connection.start();
        for (int i = 0; i < consumers; i++) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(IN));
            MessageProducer producer = session.createProducer(session.createQueue(STATUS));
            java.sql.Connection jdbc = db.getConnection();
            jdbc.setAutoCommit(false);
            Issuer issuer = new Issuer(db, i);
            issuers.add(issuer);
            Thread th = new Thread(() -> loop(session, consumer, producer, jdbc, issuer), "same-work-intake-" + i);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
    }

    /** The mailboxes its mails go to, the same as the hub's: the two units and the customer. */
    java.util.Set<String> recipients() {
        java.util.Set<String> to = new java.util.LinkedHashSet<>(t.handoff1().to());
        to.addAll(t.handoff2().to());
        to.addAll(t.customerMail().to());
        return to;
    }

    private String nextval(String sequence) {
        return postgres ? "select nextval('" + sequence + "')" : "select next value for " + sequence;
    }

    private static long one(PreparedStatement ps) throws Exception {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long key(PreparedStatement ps) throws Exception {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }

    private void loop(Session session, MessageConsumer consumer, MessageProducer producer, java.sql.Connection jdbc, Issuer issuer) {
        try (jdbc;
             PreparedStatement caseSeq = jdbc.prepareStatement(nextval("case_no_seq"));
             PreparedStatement processed = jdbc.prepareStatement(
                     "insert into processed_message (consumer, message_id, processed_at) values ('billing-intake', ?, ?)");
             PreparedStatement insertCase = jdbc.prepareStatement("""
                     insert into yk_case (case_no, application_no, service_type, stage, customer_id, customer_name, contact_name,
                       phone, email, site_address, supply_station, supply_voltage_kv, transformer_kva, existing_kva, power_sources,
                       materials, requested_date, submitted_at, accepted_at, created_at, updated_at, version, state_json,
                       representative_id)
                     values (?, ?, ?, 'SCHEME', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)""", new String[] {"id"});
             PreparedStatement insertNode = jdbc.prepareStatement("""
                     insert into case_node (case_id, node, responsible, rule_set, limit_days, day_kind, warning_percent,
                       warning_min_days, started_at, pauses, due_at, warning_at, next_check_at, overrun_days, deduction)
                     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", new String[] {"id"});
             PreparedStatement insertTask = jdbc.prepareStatement("""
                     insert into case_task (case_id, task_no, kind, unit, stage, status, node_id, opened_at)
                     values (?, ?, ?, ?, ?, ?, ?, ?)""");
             PreparedStatement insertTimeline = jdbc.prepareStatement("""
                     insert into case_timeline (case_id, at, recorded_at, actor, kind, stage, summary, details)
                     values (?, ?, ?, ?, ?, ?, ?, ?)""");
             PreparedStatement insertOutbox = jdbc.prepareStatement("""
                     insert into outbox (case_id, channel, message_id, group_key, headers, payload, created_at, sent_at, attempts)
                     values (?, ?, ?, ?, ?, ?, ?, ?, 0)""", new String[] {"id"})) {
            while (running.get()) {
                Message m = consumer.receive(200);
                if (m == null) {
                    continue;
                }
                JsonNode j = JSON.readTree(((TextMessage) m).getText());
                String applicationNo = j.path("applicationNo").asText();
                OffsetDateTime now = OffsetDateTime.now();
                Timestamp ts = Timestamp.from(now.toInstant());
                OffsetDateTime submittedAt = OffsetDateTime.parse(j.path("submittedAt").asText());
                String caseNo = String.format("YK-%04d-%06d", submittedAt.atZoneSameInstant(ZoneId.of(t.companyZone())).getYear(),
                        one(caseSeq));

                // (1) the intake transaction
                processed.setString(1, j.path("messageId").asText());
                processed.setObject(2, now);
                processed.executeUpdate();
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
                insertCase.setBigDecimal(11, new BigDecimal(j.path("supplyVoltageKv").asText()));
                insertCase.setInt(12, j.path("transformerKva").asInt());
                insertCase.setInt(13, j.path("existingKva").asInt());
                insertCase.setInt(14, j.path("powerSources").asInt());
                List<String> materials = new ArrayList<>();
                j.path("materials").forEach(x -> materials.add(x.asText()));
                insertCase.setString(15, String.join(",", materials));
                insertCase.setObject(16, j.hasNonNull("requestedDate") ? LocalDate.parse(j.get("requestedDate").asText()) : null);
                insertCase.setObject(17, submittedAt);
                insertCase.setObject(18, submittedAt);
                insertCase.setObject(19, now);
                insertCase.setObject(20, now);
                insertCase.setString(21, t.stateJson().replace(t.caseNo(), caseNo));
                insertCase.setString(22, t.representativeId());
                insertCase.executeUpdate();
                long caseId = key(insertCase);

                Map<String, Object> n = t.node();
                insertNode.setLong(1, caseId);
                insertNode.setObject(2, n.get("NODE"));
                insertNode.setObject(3, n.get("RESPONSIBLE"));
                insertNode.setObject(4, n.get("RULE_SET"));
                insertNode.setObject(5, n.get("LIMIT_DAYS"));
                insertNode.setObject(6, n.get("DAY_KIND"));
                insertNode.setObject(7, n.get("WARNING_PERCENT"));
                insertNode.setObject(8, n.get("WARNING_MIN_DAYS"));
                insertNode.setObject(9, submittedAt);
                insertNode.setObject(10, n.get("PAUSES"));
                insertNode.setObject(11, n.get("DUE_AT"));
                insertNode.setObject(12, n.get("WARNING_AT"));
                insertNode.setObject(13, n.get("NEXT_CHECK_AT"));
                insertNode.setObject(14, n.get("OVERRUN_DAYS"));
                insertNode.setObject(15, n.get("DEDUCTION"));
                insertNode.executeUpdate();
                long nodeId = key(insertNode);

                for (Map<String, Object> task : t.tasks()) {
                    insertTask.setLong(1, caseId);
                    insertTask.setObject(2, task.get("TASK_NO"));
                    insertTask.setObject(3, task.get("KIND"));
                    insertTask.setObject(4, task.get("UNIT"));
                    insertTask.setObject(5, task.get("STAGE"));
                    insertTask.setObject(6, task.get("STATUS"));
                    insertTask.setLong(7, nodeId);
                    insertTask.setObject(8, submittedAt);
                    insertTask.addBatch();
                }
                insertTask.executeBatch();

                for (Map<String, Object> e : t.timeline()) {
                    String kind = (String) e.get("KIND");
                    String summary = (String) e.get("SUMMARY");
                    insertTimeline.setLong(1, caseId);
                    insertTimeline.setObject(2, "ACCEPTED".equals(kind) ? submittedAt : now); // the acceptance at the application's time, as the hub
                    insertTimeline.setObject(3, now);
                    insertTimeline.setObject(4, e.get("ACTOR"));
                    insertTimeline.setString(5, kind);
                    insertTimeline.setObject(6, e.get("STAGE"));
                    insertTimeline.setString(7, summary.replace(t.applicationNo(), applicationNo));
                    insertTimeline.setObject(8, e.get("DETAILS"));
                    insertTimeline.addBatch();
                }
                insertTimeline.executeBatch();

                // six outbox rows: three status messages, the document request, two hand-off mails (sent time set now, the real one later)
                String[][] statuses = {{"RECEIVED", null, null}, {"ACCEPTED", "RECEIVED", "2026-12-18T23:59:59+08:00"},
                        {"SCHEME", "ACCEPTED", "2026-12-18T23:59:59+08:00"}};
                List<TextMessage> out = new ArrayList<>(3);
                for (String[] s : statuses) {
                    ObjectNode status = JSON.createObjectNode();
                    String messageId = UUID.randomUUID().toString();
                    status.put("type", "CaseStatusChanged").put("messageId", messageId).put("applicationNo", applicationNo)
                            .put("caseNo", caseNo).put("stage", s[0]).put("previousStage", s[1]).put("at", now.toString())
                            .put("dueAt", s[2]).putNull("reason");
                    String payload = status.toString();
                    outbox(insertOutbox, caseId, "billing-status", messageId, applicationNo,
                            "{\"type\":\"CaseStatusChanged\",\"applicationNo\":\"" + applicationNo + "\",\"JMSXGroupID\":\""
                                    + applicationNo + "\",\"caseNo\":\"" + caseNo + "\",\"_AMQ_DUPL_ID\":\"" + messageId + "\"}",
                            payload, now);
                    TextMessage tm = session.createTextMessage(payload);
                    tm.setStringProperty("type", "CaseStatusChanged");
                    tm.setStringProperty("applicationNo", applicationNo);
                    tm.setStringProperty("caseNo", caseNo);
                    tm.setStringProperty("JMSXGroupID", applicationNo);
                    tm.setStringProperty("_AMQ_DUPL_ID", messageId);
                    out.add(tm);
                }
                String request = "{\"caseNo\":\"" + caseNo + "\",\"type\":\"CONTACT_CARD\",\"round\":1,\"at\":\"" + now
                        + "\",\"stage\":\"SCHEME\",\"missingMaterials\":[]}";
                outbox(insertOutbox, caseId, "document", "document:" + caseId + ":CONTACT_CARD:1", caseNo,
                        "{\"type\":\"CONTACT_CARD\"}", request, now);
                OutgoingMail h1 = handoff(t.handoff1(), caseNo, applicationNo);
                OutgoingMail h2 = handoff(t.handoff2(), caseNo, applicationNo);
                outbox(insertOutbox, caseId, "mail", "handoff-" + caseNo + "-T1", caseNo,
                        t.handoffHeaders1().replace(t.caseNo(), caseNo), payload(h1), now);
                outbox(insertOutbox, caseId, "mail", "handoff-" + caseNo + "-T2", caseNo,
                        t.handoffHeaders2().replace(t.caseNo(), caseNo), payload(h2), now);
                insertOutbox.executeBatch();
                long[] outboxIds = new long[6];
                try (ResultSet keys = insertOutbox.getGeneratedKeys()) {
                    for (int k = 0; k < 6 && keys.next(); k++) {
                        outboxIds[k] = keys.getLong(1);
                    }
                }
                jdbc.commit();

                // (2) the status messages, and the application acknowledged, in one JMS commit
                for (TextMessage tm : out) {
                    producer.send(tm);
                }
                session.commit();
                OffsetDateTime statusSent = OffsetDateTime.now();

                // (3)-(6) after commit on this consumer's issuer thread, as the hub's relays and issuer work beside its consumers
                issuer.submit(new Work(j, caseId, caseNo, outboxIds, statusSent, h1, h2));
            }
        } catch (Exception e) {
            if (running.get()) {
                e.printStackTrace();
            }
        }
    }

    /** What the consumer hands to its issuer after its commit. */
    private record Work(JsonNode application, long caseId, String caseNo, long[] outboxIds, OffsetDateTime statusSent,
                        OutgoingMail h1, OutgoingMail h2) {
    }

    /**
     * A consumer's after-commit work on a thread of its own, with its own database connection and one SMTP connection
     * kept open: the hand-offs, the contact card, the customer mail and the sent marks. At most 32 applications wait for
     * it; then the consumer waits (the hub's intake, too, runs ahead of its issuer only by what its outbox holds).
     */
    private final class Issuer implements AutoCloseable {
        private final java.util.concurrent.ThreadPoolExecutor thread;
        private final java.sql.Connection jdbc;
        private final Transport smtp;
        private final PreparedStatement documentSeq;
        private final PreparedStatement insertTimeline;
        private final PreparedStatement insertOutbox;
        private final PreparedStatement markSent;
        private final PreparedStatement insertDocument;
        private final PreparedStatement insertChain;

        Issuer(DataSource db, int n) throws Exception {
            jdbc = db.getConnection();
            jdbc.setAutoCommit(false);
            smtp = mail.getTransport("smtp");
            smtp.connect();
            documentSeq = jdbc.prepareStatement(nextval("document_no_seq"));
            insertTimeline = jdbc.prepareStatement("""
                    insert into case_timeline (case_id, at, recorded_at, actor, kind, stage, summary, details)
                    values (?, ?, ?, ?, ?, ?, ?, ?)""");
            insertOutbox = jdbc.prepareStatement("""
                    insert into outbox (case_id, channel, message_id, group_key, headers, payload, created_at, sent_at, attempts)
                    values (?, ?, ?, ?, ?, ?, ?, ?, 0)""", new String[] {"id"});
            markSent = jdbc.prepareStatement("update outbox set sent_at = ?, attempts = attempts + 1 where id = ?");
            insertDocument = jdbc.prepareStatement("""
                    insert into case_document (case_id, type, round, version, document_no, title, file_name, path, sha256,
                        size_bytes, pages, created_at, reason, chain_seq, chain_sha256)
                    values (?, 'CONTACT_CARD', 1, 1, ?, ?, ?, ?, ?, ?, 1, ?, null, 1, ?)""", new String[] {"id"});
            insertChain = jdbc.prepareStatement("insert into case_document_chain (case_id, head_sha256, documents) values (?, ?, 1)");
            thread = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, java.util.concurrent.TimeUnit.SECONDS,
                    new java.util.concurrent.ArrayBlockingQueue<>(32), r -> {
                        Thread t = new Thread(r, "same-work-issuer-" + n);
                        t.setDaemon(true);
                        return t;
                    }, new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());
        }

        void submit(Work w) {
            // caller-runs when full would run it on the consumer's thread, on this issuer's statements: wait instead
            while (thread.getQueue().remainingCapacity() == 0 && running.get()) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            thread.execute(() -> {
                try {
                    issue(w);
                } catch (Exception e) {
                    if (running.get()) {
                        e.printStackTrace();
                    }
                }
            });
        }

        private void issue(Work w) throws Exception {
            // (3) the hand-offs over the kept SMTP connection
            send(smtp, w.h1(), List.of(), "handoff-" + w.caseNo() + "-T1");
            send(smtp, w.h2(), List.of(), "handoff-" + w.caseNo() + "-T2");
            OffsetDateTime handoffsSent = OffsetDateTime.now();

            // (4) the contact card: rendered, sealed, archived; its rows and the sent marks in one transaction
            OffsetDateTime issuedAt = DocumentChain.stored(OffsetDateTime.now());
            String documentNo = String.format("LXK-%04d-%06d", issuedAt.atZoneSameInstant(ZoneId.of(t.companyZone())).getYear(),
                    one(documentSeq));
            DocumentData d = card(w.application(), w.caseNo(), documentNo, issuedAt);
            byte[] pdf = seal.seal(renderer.render(DocumentType.CONTACT_CARD, d), documentNo);
            String relative = w.caseNo() + "/" + documentNo + "-r1-v1.pdf";
            String sha = files.write("documents/" + relative, pdf).sha256();
            String fileName = w.caseNo() + "-" + DocumentType.CONTACT_CARD.title() + ".pdf";
            String chain = DocumentChain.next(DocumentChain.GENESIS, new DocumentChain.Link(1, w.caseNo(), "CONTACT_CARD", documentNo,
                    1, 1, relative, sha, pdf.length, issuedAt));
            insertDocument.setLong(1, w.caseId());
            insertDocument.setString(2, documentNo);
            insertDocument.setString(3, DocumentType.CONTACT_CARD.title());
            insertDocument.setString(4, fileName);
            insertDocument.setString(5, relative);
            insertDocument.setString(6, sha);
            insertDocument.setLong(7, pdf.length);
            insertDocument.setObject(8, issuedAt);
            insertDocument.setString(9, chain);
            insertDocument.executeUpdate();
            long documentId = key(insertDocument);
            insertChain.setLong(1, w.caseId());
            insertChain.setString(2, chain);
            insertChain.executeUpdate();
            insertTimeline.setLong(1, w.caseId());
            insertTimeline.setObject(2, issuedAt);
            insertTimeline.setObject(3, issuedAt);
            insertTimeline.setString(4, "SYSTEM");
            insertTimeline.setString(5, "DOCUMENT_ISSUED");
            insertTimeline.setString(6, "SCHEME");
            insertTimeline.setString(7, "出具《" + DocumentType.CONTACT_CARD.title() + "》" + documentNo + " (CONTACT_CARD, 1 pages, sha256 "
                    + sha.substring(0, 12) + ")");
            insertTimeline.setObject(8, null);
            insertTimeline.executeUpdate();
            OutgoingMail customer = customerMail(w.caseNo(), documentNo, issuedAt).withAttachments(List.of(new OutgoingMail.Attachment(
                    OutgoingMail.Source.DOCUMENT, documentId, fileName, "application/pdf", pdf.length)));
            outbox(insertOutbox, w.caseId(), "mail", UUID.randomUUID().toString(), w.caseNo(),
                    t.customerHeaders().replace(t.caseNo(), w.caseNo()), payload(customer), issuedAt);
            insertOutbox.executeBatch();
            long customerId;
            try (ResultSet keys = insertOutbox.getGeneratedKeys()) {
                keys.next();
                customerId = keys.getLong(1);
            }
            for (int k = 0; k < 6; k++) {
                markSent.setObject(1, k < 3 ? w.statusSent() : k == 3 ? issuedAt : handoffsSent);
                markSent.setLong(2, w.outboxIds()[k]);
                markSent.addBatch();
            }
            markSent.executeBatch();
            jdbc.commit();

            // (5) the customer mail with the card, (6) marked sent
            send(smtp, customer, List.of(new MailAttachment(fileName, "application/pdf", pdf)), "customer-" + w.caseNo());
            markSent.setObject(1, OffsetDateTime.now());
            markSent.setLong(2, customerId);
            markSent.executeUpdate();
            jdbc.commit();
        }

        @Override
        public void close() throws Exception {
            thread.shutdown();
            thread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            smtp.close();
            jdbc.close();
        }
    }

    private static void outbox(PreparedStatement insert, long caseId, String channel, String messageId, String group,
                               String headers, String payload, OffsetDateTime now) throws Exception {
        insert.setLong(1, caseId);
        insert.setString(2, channel);
        insert.setString(3, messageId);
        insert.setString(4, group);
        insert.setString(5, headers);
        insert.setString(6, payload);
        insert.setObject(7, now);
        insert.setObject(8, now);
        insert.addBatch();
    }

    /** The task part of a hand-off token, {@code /T<n>/<12 hex>]}, in the subject and in the body's model. */
    private static final String TASK_TOKEN = "/T(\\d)/[0-9a-f]{12}\\]";

    /** The hand-off of the template case for this case: its number, and a task token of the same length. */
    private OutgoingMail handoff(OutgoingMail tm, String caseNo, String applicationNo) {
        String token = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String subject = tm.subject().replace(t.caseNo(), caseNo).replaceFirst(TASK_TOKEN, "/T$1/" + token + "]");
        // the hub keeps the hand-off's model in the outbox and its relay writes the text after commit (issue 19): the
        // same here, the model with this case's numbers in the row, the text written by the hub's writer in send()
        String model = tm.body().model().toString().replace(t.caseNo(), caseNo).replace(t.applicationNo(), applicationNo)
                .replaceAll(TASK_TOKEN, "/T$1/" + token + "]");
        try {
            return new OutgoingMail(tm.from(), tm.fromName(), tm.to(), tm.replyTo(), subject, null, null, tm.autoSubmitted(),
                    OffsetDateTime.now(), List.of(), new OutgoingMail.Body(tm.body().kind(), JSON.readTree(model)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private OutgoingMail customerMail(String caseNo, String documentNo, OffsetDateTime at) {
        OutgoingMail tm = t.customerMail();
        String templateNo = t.card().documentNo();
        return new OutgoingMail(tm.from(), tm.fromName(), tm.to(), tm.replyTo(), tm.subject().replace(t.caseNo(), caseNo),
                tm.text().replace(t.caseNo(), caseNo).replace(templateNo, documentNo), tm.html(), tm.autoSubmitted(), at, List.of());
    }

    /** The outbox payload: the mail as the hub keeps it (its own JSON form; an attachment referenced by id, not included). */
    private String payload(OutgoingMail m) {
        return messages.toPayload(m);
    }

    private void send(Transport smtp, OutgoingMail m, List<MailAttachment> attachments, String id) throws Exception {
        MimeMessage mime = MailMessages.mime(mail, messages.written(m), attachments, "<" + id + "." + UUID.randomUUID() + "@bench.samework>");
        if (!smtp.isConnected()) {
            smtp.connect();
        }
        smtp.sendMessage(mime, mime.getAllRecipients());
    }

    /** The contact card's data: the template's issuer, steps and limits; the application's customer and installation. */
    private DocumentData card(JsonNode j, String caseNo, String documentNo, OffsetDateTime issuedAt) {
        DocumentData tc = t.card();
        JsonNode c = j.path("customer");
        DocumentData.Customer customer = new DocumentData.Customer(c.path("id").asText(null), c.path("name").asText(),
                c.path("contactName").asText(null), c.path("phone").asText(null), c.path("email").asText(null),
                j.path("site").path("address").asText());
        DocumentData.Application a = tc.application();
        DocumentData.Application application = new DocumentData.Application(j.path("applicationNo").asText(), a.serviceType(),
                a.acceptedOn(), j.path("supplyVoltageKv").asInt(), j.path("transformerKva").asInt(), j.path("existingKva").asInt(),
                j.path("powerSources").asInt(), j.hasNonNull("requestedDate") ? LocalDate.parse(j.get("requestedDate").asText()) : null);
        return new DocumentData(caseNo, documentNo, issuedAt.atZoneSameInstant(ZoneId.of(t.companyZone())).toLocalDate(),
                tc.issuer(), customer, application, tc.missingMaterials(), tc.stepsAhead(), tc.scheme(), tc.acceptance(),
                tc.contract(), tc.energization(), tc.limits());
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        for (Thread th : threads) {
            th.join(10000);
        }
        for (Issuer issuer : issuers) {
            issuer.close();
        }
        connection.close();
        pool.close();
    }
}
