package cn.yekuo.hub.replies;

import cn.yekuo.hub.quarantine.UnitMailQuarantineTest;
import cn.yekuo.hub.tokens.HandoffToken;
import static cn.yekuo.hub.replies.MailFixtures.HUB;
import static cn.yekuo.hub.replies.MailFixtures.MARKETING;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.deadlines.DeadlineWatcher;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.MutableClock;
import cn.yekuo.hub.support.RunningHub;

/**
 * A hub of its own (settable clock, replies read only when the test says, Authentication-Results checked, a 1 MB mail
 * limit): replies are timed by when they reached the mailbox, not by when the hub read them; with the check on, a
 * unit's reply needs the receiving server's SPF or DKIM pass; a mail over the limit is refused before it is
 * downloaded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnitMailOwnHubTest {

    static final String AUTHSERV = "mx.yekuo.local";
    static final String TECHNICAL = UnitMailQuarantineTest.TECHNICAL;
    static final String BUSINESS = UnitMailQuarantineTest.BUSINESS;

    static int broker;
    static RunningHub hub;
    static MailClient mail;
    static JdbcTemplate jdbc;

    /** Properties of the hub's database on top of the defaults (none: H2 under its data directory). */
    Map<String, Object> database() {
        return Map.of();
    }

    @BeforeAll
    void start() {
        Map<String, Object> database = database();
        broker = RunningHub.freePort();
        int smtp = RunningHub.freePort();
        int imap = RunningHub.freePort();
        Map<String, Object> props = new HashMap<>();
        props.put("yk.test.clock", "mutable");
        props.put("yk.mail.smtp-port", String.valueOf(smtp));
        props.put("yk.mail.imap-port", String.valueOf(imap));
        props.put("yk.mail.read-replies", "false");
        props.put("yk.mail.poll-interval", "300ms");
        props.put("yk.mail.relay-interval", "200ms");
        props.put("yk.mail.auth-results.enabled", "true");
        props.put("yk.mail.auth-results.authserv-id", AUTHSERV);
        props.put("yk.mail.max-mail-bytes", "1048576");
        props.put("yk.deadlines.cron", "0 0 0 1 1 ? 2099"); // the watcher runs when the test says
        props.putAll(database);
        hub = RunningHub.start(RunningHub.newDataDir("reply-arrival"), broker, props);
        mail = new MailClient(smtp, imap);
        jdbc = hub.jdbc();
    }

    /**
     * Each test starts from the same hub state, whatever ran before: the clock at the real now (a test may have moved
     * it) and replies not read until the test starts the route (one test needs them to wait in the mailbox).
     */
    @BeforeEach
    void repliesUnreadAndClockNow() throws Exception {
        hub.bean(CamelContext.class).getRouteController().stopRoute("unit-replies");
        hub.bean(MutableClock.class).set(OffsetDateTime.now());
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void repliesDeliveredBeforeTheDueDateButReadAfterItAreOnTime() throws Exception {
        String caseNo = newCase();
        MimeMessage t1 = awaitHandoff(mail, PRODUCTION, caseNo, 1);
        MimeMessage t2 = awaitHandoff(mail, MARKETING, caseNo, 2);
        OffsetDateTime due = jdbc.queryForObject("""
                select n.due_at from case_node n join yk_case c on c.id = n.case_id where c.case_no = ? and n.node = 'SCHEME_REPLY'""",
                OffsetDateTime.class, caseNo);
        assertThat(due).isAfter(OffsetDateTime.now());

        MimeMessage technical = authenticated(reply(mail, t1, PRODUCTION, TECHNICAL), "spf=pass smtp.mailfrom=" + PRODUCTION);
        MimeMessage business = authenticated(reply(mail, t2, MARKETING, BUSINESS), "spf=fail; dkim=pass header.d=yekuo.local");
        mail.send(PRODUCTION, technical);
        mail.send(MARKETING, business);
        java.util.Set<String> replies = java.util.Set.of(MailFixtures.messageId(technical), MailFixtures.messageId(business));
        await().atMost(WAIT).until(() -> mail.messages(HUB, "INBOX", m -> replies.contains(MailFixtures.messageId(m))).size() == 2);
        // the hub gets to its mailbox only three days after the due date (an IMAP outage, a stopped hub)
        hub.bean(MutableClock.class).set(due.plusDays(3));
        // meanwhile the deadline watcher saw no answer and charged both units (of this case: the other tests' cases
        // may be found late too, when they ran first)
        assertThat(hub.bean(DeadlineWatcher.class).scan().assessmentEntries()).isGreaterThanOrEqualTo(2);
        assertThat(jdbc.queryForList("""
                select e.unit from assessment_entry e join yk_case c on c.id = e.case_id where c.case_no = ?""",
                String.class, caseNo)).containsExactlyInAnyOrder("production", "marketing");
        hub.bean(CamelContext.class).getRouteController().startRoute("unit-replies");

        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)) && "CLOSED".equals(taskStatus(jdbc, caseNo, 2)));
        Map<String, Object> node = jdbc.queryForMap("""
                select n.completed_at, n.overrun_days from case_node n join yk_case c on c.id = n.case_id
                where c.case_no = ? and n.node = 'SCHEME_REPLY'""", caseNo);
        assertThat(node.get("COMPLETED_AT")).as("the scheme node is complete").isNotNull();
        assertThat(node.get("OVERRUN_DAYS")).as("answered on time: not charged").isEqualTo(0);
        OffsetDateTime closed = jdbc.queryForObject("""
                select max(t.closed_at) from case_task t join yk_case c on c.id = t.case_id where c.case_no = ?""",
                OffsetDateTime.class, caseNo);
        assertThat(closed).isBefore(due).isAfter(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5));
        OffsetDateTime designOpened = jdbc.queryForObject("""
                select t.opened_at from case_task t join yk_case c on c.id = t.case_id where c.case_no = ? and t.kind = 'DESIGN'""",
                OffsetDateTime.class, caseNo);
        assertThat(designOpened).as("what the replies start starts when they are read, not in the past").isAfterOrEqualTo(due.plusDays(3));
        assertThat(jdbc.queryForObject("""
                select count(*) from assessment_entry e join yk_case c on c.id = e.case_id where c.case_no = ?""",
                Integer.class, caseNo)).as("the watcher's charges are withdrawn").isZero();
        assertThat(jdbc.queryForList("""
                select t.summary from case_timeline t join yk_case c on c.id = t.case_id
                where c.case_no = ? and t.kind = 'CHARGE_WITHDRAWN'""", String.class, caseNo))
                .singleElement().asString().contains("production", "marketing");
    }

    @Test
    void withTheCheckOnAReplyWithoutThePassOfOurServerIsQuarantined() throws Exception {
        hub.bean(CamelContext.class).getRouteController().startRoute("unit-replies");
        String caseNo = newCase();
        MimeMessage t1 = awaitHandoff(mail, PRODUCTION, caseNo, 1);

        MimeMessage failed = authenticated(reply(mail, t1, PRODUCTION, TECHNICAL), "spf=fail smtp.mailfrom=" + PRODUCTION + "; dmarc=fail");
        MimeMessage none = reply(mail, t1, PRODUCTION, TECHNICAL);
        // a pass the sender wrote itself under our id sits below the server's own header: it does not count
        MimeMessage spoofed = authenticated(authenticated(reply(mail, t1, PRODUCTION, TECHNICAL), "spf=pass smtp.mailfrom="
                + PRODUCTION), "spf=softfail");
        for (MimeMessage m : new MimeMessage[] {failed, none, spoofed}) {
            mail.send(PRODUCTION, m);
        }
        for (MimeMessage m : new MimeMessage[] {failed, none, spoofed}) {
            String id = MailFixtures.messageId(m);
            await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from unit_mail where message_id = ?",
                    Integer.class, id) == 1);
            assertThat(jdbc.queryForObject("select reasons from unit_mail where message_id = ?", String.class, id))
                    .contains("\"SENDER_NOT_AUTHENTICATED\"");
        }
        assertThat(taskStatus(jdbc, caseNo, 1)).isEqualTo("OPEN");

        mail.send(PRODUCTION, authenticated(reply(mail, t1, PRODUCTION, TECHNICAL), "spf=pass smtp.mailfrom=" + PRODUCTION));
        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));
    }

    @Test
    void aMailOverTheSizeLimitIsRefusedBeforeItIsDownloaded() throws Exception {
        hub.bean(CamelContext.class).getRouteController().startRoute("unit-replies");
        String caseNo = newCase();
        MimeMessage t1 = awaitHandoff(mail, PRODUCTION, caseNo, 1);
        byte[] big = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        MimeMessage oversize = authenticated(reply(mail, t1, PRODUCTION, TECHNICAL, big), "spf=pass smtp.mailfrom=" + PRODUCTION);
        String id = MailFixtures.messageId(oversize);
        mail.send(PRODUCTION, oversize);
        mail.send(PRODUCTION, authenticated(reply(mail, t1, PRODUCTION, TECHNICAL), "spf=pass smtp.mailfrom=" + PRODUCTION));

        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from unit_mail where message_id = ?",
                Integer.class, id) == 1);
        Map<String, Object> row = jdbc.queryForMap("select outcome, reasons, raw_size, raw_path from unit_mail where message_id = ?", id);
        assertThat(row.get("OUTCOME")).isEqualTo("QUARANTINED");
        assertThat((String) row.get("REASONS")).contains("\"MAIL_TOO_LARGE\"");
        assertThat((Long) row.get("RAW_SIZE")).as("a stub of its headers is kept: the mail was not downloaded").isLessThan(4096);
        String dataDir = hub.bean(org.springframework.core.env.Environment.class).getProperty("yk.data-dir-absolute");
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of(dataDir).resolve((String) row.get("RAW_PATH"))))
                .contains("X-YK-Not-Downloaded", id);
        HostileMailTest.awaitInFolder(mail, "Quarantine", id);
    }

    @Test
    void aFailureWhoseAttemptCannotBeRecordedStaysARetry() throws Exception {
        hub.bean(CamelContext.class).getRouteController().startRoute("unit-replies");
        String caseNo = newCase();
        MimeMessage t1 = awaitHandoff(mail, PRODUCTION, caseNo, 1);
        String state = jdbc.queryForObject("select state_json from yk_case where case_no = ?", String.class, caseNo);
        jdbc.update("update yk_case set state_json = ? where case_no = ?", "{\"stage\": ", caseNo); // every attempt fails
        // the attempts cannot be written (as when the database goes down between the failure and its count)
        jdbc.execute("alter table unit_mail_attempt rename to unit_mail_attempt_away");
        MimeMessage poison = authenticated(reply(mail, t1, PRODUCTION, TECHNICAL), "spf=pass smtp.mailfrom=" + PRODUCTION);
        String id = MailFixtures.messageId(poison);
        try {
            mail.send(PRODUCTION, poison);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> jdbc.queryForObject(
                    "select count(*) from unit_mail where message_id = ?", Integer.class, id) == 0);
            assertThat(mail.messages(HUB, "INBOX", HostileMailTest.headerIs(id))).as("waiting in INBOX, not quarantined").hasSize(1);
        } finally {
            jdbc.execute("alter table unit_mail_attempt_away rename to unit_mail_attempt");
        }
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from unit_mail where message_id = ?",
                Integer.class, id) == 1);
        assertThat(jdbc.queryForObject("select reasons from unit_mail where message_id = ?", String.class, id))
                .contains("\"PROCESSING_FAILED\"");
        jdbc.update("update yk_case set state_json = ? where case_no = ?", state, caseNo);
    }

    @Test
    void withTheCheckOnAReturnVisitReplyWithoutThePassOfOurServerIsQuarantinedAndRecordsNothing() throws Exception {
        hub.bean(CamelContext.class).getRouteController().startRoute("unit-replies");
        String caseNo = newCase();
        // a plan of station dongjiao holding this case, as the monthly job writes it
        java.time.YearMonth month = java.time.YearMonth.of(2026, 10);
        String token = hub.bean(HandoffToken.class).returnVisitTokenFor(month, "dongjiao");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.update("""
                insert into return_visit_plan (report_month, station, token, case_count, sent_at, report_due_at)
                values (?, 'dongjiao', ?, 1, ?, ?)""", month.toString(), token, now, now.plusDays(10));
        jdbc.update("""
                insert into return_visit_case (plan_id, case_id, case_no, customer_name, energized_at)
                select p.id, c.id, c.case_no, '杭州东郊新材料有限公司', ? from return_visit_plan p, yk_case c
                where p.report_month = ? and p.station = 'dongjiao' and c.case_no = ?""", now, month.toString(), caseNo);
        String station = "station-dongjiao@yekuo.local";

        MimeMessage forged = authenticated(visitReply(station, token, caseNo + "：满意"),
                "spf=fail smtp.mailfrom=" + station + "; dmarc=fail");
        MimeMessage none = visitReply(station, token, caseNo + "：满意");
        for (MimeMessage m : new MimeMessage[] {forged, none}) {
            mail.send(station, m);
        }
        for (MimeMessage m : new MimeMessage[] {forged, none}) {
            String id = MailFixtures.messageId(m);
            await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from unit_mail where message_id = ?",
                    Integer.class, id) == 1);
            assertThat(jdbc.queryForObject("select reasons from unit_mail where message_id = ?", String.class, id))
                    .contains("\"SENDER_NOT_AUTHENTICATED\"");
        }
        assertThat(jdbc.queryForObject("select satisfaction from return_visit_case where case_no = ?", String.class, caseNo))
                .as("nothing recorded").isNull();

        MimeMessage vouched = authenticated(visitReply(station, token, caseNo + "：不满意 说明：电话无人接听"),
                "spf=pass smtp.mailfrom=" + station);
        mail.send(station, vouched);
        await().atMost(WAIT).until(() -> "DISSATISFIED".equals(jdbc.queryForObject(
                "select satisfaction from return_visit_case where case_no = ?", String.class, caseNo)));
    }

    private MimeMessage visitReply(String from, String token, String body) {
        return mail.textMail(from, HUB, "回复: " + token + " 回访计划", body);
    }

    /** The header the receiving server adds on top (the newest header is the topmost). */
    private static MimeMessage authenticated(MimeMessage m, String results) throws Exception {
        String id = m.getMessageID();
        String[] existing = m.getHeader("Authentication-Results");
        m.removeHeader("Authentication-Results");
        m.addHeader("Authentication-Results", AUTHSERV + "; " + results);
        if (existing != null) {
            for (String e : existing) {
                m.addHeader("Authentication-Results", e);
            }
        }
        m.setHeader("Message-ID", id);
        return m;
    }

    private static String newCase() {
        ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
        app.put("submittedAt", OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(1)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX"))); // seconds always written
        String applicationNo = app.get("applicationNo").asText();
        try (BillingClient billing = new BillingClient("tcp://127.0.0.1:" + broker)) {
            billing.sendApplication(app.toString());
        }
        await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "select count(*) from yk_case where application_no = ? and stage = 'SCHEME'", Integer.class, applicationNo) == 1);
        return jdbc.queryForObject("select case_no from yk_case where application_no = ?", String.class, applicationNo);
    }
}
