package cn.yekuo.hub.quarantine;

import cn.yekuo.hub.support.Replies;

import cn.yekuo.hub.replies.MailFixtures;
import cn.yekuo.hub.replies.RawMail;
import cn.yekuo.hub.replies.grammar.RejectionCode;
import cn.yekuo.hub.tokens.HandoffToken;
import static cn.yekuo.hub.replies.MailFixtures.HUB;
import static cn.yekuo.hub.replies.MailFixtures.MARKETING;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.REPS;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;
import static cn.yekuo.hub.replies.MailFixtures.messageId;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.subject;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.Outboxes;
import cn.yekuo.hub.support.TestPorts;

/**
 * Replies that cannot be used change nothing: each is moved to Quarantine with the right reason, the case is as it
 * was, and the representatives are told why — except for automatic replies, which get no answer at all. And the
 * mails Chinese clients send (GBK body, GB2312 subject split inside a character, HTML only) are read and used.
 */
@HubTest
public class UnitMailQuarantineTest {

    final MailClient mail = MailClient.ofTestHub();
    BillingClient billing;
    String caseNo;
    MimeMessage t1;
    MimeMessage t2;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    HandoffToken tokens;

    @BeforeEach
    void newCase() {
        billing = new BillingClient(TestPorts.BROKER_URL);
        caseNo = MailFixtures.newCase(billing, jdbc)[1];
        t1 = awaitHandoff(mail, PRODUCTION, caseNo, 1);
        t2 = awaitHandoff(mail, MARKETING, caseNo, 2);
    }

    @AfterEach
    void close() {
        billing.close();
    }

    public static final String TECHNICAL = "结论：同意\n电源点：110kV东郊变 10kV 912东园线\n接入点：912东园线 #23杆 T接\n产权分界点：#23杆刀闸下桩头\n" + Replies.TECHNICAL_DETAILS;
    public static final String BUSINESS = "结论：同意\n计量方式：高供高计\n电价类别：大工业用电\n资产移交：否\n业务费用：12800.00\n" + Replies.BUSINESS_DETAILS;

    @Test
    void no_token() throws Exception {
        MimeMessage m = reply(mail, t1, PRODUCTION, TECHNICAL);
        m.setSubject("Re: 供电方案 supply scheme", "UTF-8");
        m.saveChanges();
        m.setHeader("Message-ID", "<" + UUID.randomUUID() + "@unit.yekuo.local>");
        quarantined(PRODUCTION, m, RejectionCode.NO_TOKEN, true);
    }

    @Test
    void forged_token() throws Exception {
        String token = tokens.tokenFor(caseNo, 1);
        String forged = token.substring(0, token.length() - 14) + (token.endsWith("/000000000000]") ? "/111111111111]" : "/000000000000]");
        quarantined(PRODUCTION, withSubject(reply(mail, t1, PRODUCTION, TECHNICAL), "Re: " + forged + " 供电方案"),
                RejectionCode.FORGED_TOKEN, true);
    }

    @Test
    void unknown_case() throws Exception {
        String token = tokens.tokenFor("YK-2026-999999", 1); // authentic, but no such case
        quarantined(PRODUCTION, withSubject(reply(mail, t1, PRODUCTION, TECHNICAL), "Re: " + token + " 供电方案"),
                RejectionCode.UNKNOWN_CASE, true);
    }

    @Test
    void sender_not_on_the_units_allow_list() {
        quarantined(MARKETING, reply(mail, t1, MARKETING, TECHNICAL), RejectionCode.SENDER_NOT_ALLOWED, true);
    }

    @Test
    void task_already_closed() {
        mail.send(PRODUCTION, reply(mail, t1, PRODUCTION, TECHNICAL));
        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));
        quarantined(PRODUCTION, reply(mail, t1, PRODUCTION, TECHNICAL.replace("同意", "不同意")), RejectionCode.TASK_CLOSED, true);
    }

    @Test
    void missing_required_field() {
        quarantined(MARKETING, reply(mail, t2, MARKETING, BUSINESS.replace("业务费用：12800.00\n", "")),
                RejectionCode.MISSING_FIELD, true);
    }

    @Test
    void unknown_result_value() {
        quarantined(PRODUCTION, reply(mail, t1, PRODUCTION, TECHNICAL.replace("结论：同意", "结论：也许吧")),
                RejectionCode.UNKNOWN_RESULT, true);
    }

    @Test
    void result_the_task_does_not_expect() {
        quarantined(MARKETING, reply(mail, t2, MARKETING, BUSINESS.replace("结论：同意", "结论：竣工")),
                RejectionCode.RESULT_NOT_EXPECTED, true);
    }

    @Test
    void unreadable_value() {
        quarantined(MARKETING, reply(mail, t2, MARKETING, BUSINESS.replace("12800.00", "一万多")),
                RejectionCode.INVALID_VALUE, true);
    }

    @Test
    void attachment_over_the_limit() {
        byte[] big = new byte[10 * 1024 * 1024 + 1];
        Arrays.fill(big, (byte) 'x');
        quarantined(PRODUCTION, reply(mail, t1, PRODUCTION, TECHNICAL, big), RejectionCode.ATTACHMENT_TOO_LARGE, true);
    }

    @Test
    void empty_body() {
        quarantined(PRODUCTION, reply(mail, t1, PRODUCTION, "收到，谢谢。\n--\n张工\n"), RejectionCode.EMPTY_BODY, true);
    }

    @Test
    void mail_without_a_sender() throws Exception {
        MimeMessage m = reply(mail, t1, PRODUCTION, TECHNICAL);
        m.removeHeader("From");
        quarantined(PRODUCTION, m, RejectionCode.UNREADABLE, true);
    }

    @Test
    void out_of_office_reply_is_quarantined_without_any_answer() throws Exception {
        MimeMessage m = reply(mail, t1, PRODUCTION, "您好，我休假至12月5日，期间邮件不作处理。");
        m.setSubject("自动回复: " + subject(t1), "UTF-8");
        m.setHeader("Auto-Submitted", "auto-replied");
        m.saveChanges();
        m.setHeader("Message-ID", "<" + UUID.randomUUID() + "@unit.yekuo.local>");
        quarantined(PRODUCTION, m, RejectionCode.AUTO_REPLY, false);
    }

    @Test
    void delivery_failure_notice_is_quarantined_without_any_answer() throws Exception {
        MimeMessage m = reply(mail, t1, "mailer-daemon@yekuo.local", "This is the mail system. Delivery to the following recipient failed.");
        m.setSubject("Undeliverable: " + subject(t1), "UTF-8");
        m.saveChanges();
        m.setHeader("Message-ID", "<" + UUID.randomUUID() + "@mx.yekuo.local>");
        quarantined(PRODUCTION, m, RejectionCode.AUTO_REPLY, false); // relayed by the unit's server
    }

    // ------------------------------------------------------------------ as Chinese clients send them

    @Test
    void gbk_body_with_a_gb2312_subject_split_inside_a_character_is_used() {
        String subject = "答复: " + tokens.tokenFor(caseNo, 1) + " 请提供供电方案(技术部分)";
        byte[] bytes = subject.getBytes(RawMail.GB2312);
        int cut = subject.substring(0, subject.indexOf("供")).getBytes(RawMail.GB2312).length + 1; // inside 供
        String header = RawMail.bWord("GB2312", Arrays.copyOfRange(bytes, 0, cut)) + "\n "
                + RawMail.bWord("GB2312", Arrays.copyOfRange(bytes, cut, bytes.length));
        byte[] raw = RawMail.headers("""
                From: =?GBK?B?%s?= <production@yekuo.local>
                To: hub@yekuo.local
                Subject: %s
                Message-ID: <%s@foxmail.example.cn>
                MIME-Version: 1.0
                Content-Type: text/plain; charset=GB2312
                Content-Transfer-Encoding: 8bit
                """.formatted(java.util.Base64.getEncoder().encodeToString("生产技术部 张工".getBytes(RawMail.GBK)), header,
                UUID.randomUUID())).text(TECHNICAL + "\n> 原邮件：请在期限前答复。\n", RawMail.GBK).bytes();
        mail.sendRaw(PRODUCTION, raw);
        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));
        assertThat(jdbc.queryForObject("select t.fields from case_task t join yk_case c on c.id = t.case_id "
                + "where c.case_no = ? and t.task_no = 1", String.class, caseNo)).contains("110kV东郊变 10kV 912东园线", "#23杆刀闸下桩头");
    }

    @Test
    void html_only_body_in_gbk_is_used() {
        String html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\"></head><body>"
                + "<div>结论：同意</div><div>计量方式：高供高计</div><div>电价类别：大工业用电</div>"
                + "<div>资产移交：否</div><div>业务费用：12800.00</div>"
                + Replies.BUSINESS_DETAILS.lines().map(l -> "<div>" + l + "</div>").collect(java.util.stream.Collectors.joining())
                + "<div><br></div>"
                + "<div>--</div><div>市场营销部 李工</div>"
                + "<blockquote>原邮件 &gt; 请答复</blockquote></body></html>";
        byte[] raw = RawMail.headers("""
                From: marketing@yekuo.local
                To: hub@yekuo.local
                Subject: =?GBK?B?%s?=
                Message-ID: <%s@coremail.example.cn>
                MIME-Version: 1.0
                Content-Type: text/html; charset="GBK"
                Content-Transfer-Encoding: base64
                """.formatted(java.util.Base64.getEncoder().encodeToString(
                        ("回复：" + subject(t2)).getBytes(RawMail.GBK)), UUID.randomUUID()))
                .base64(html.getBytes(RawMail.GBK)).bytes();
        mail.sendRaw(MARKETING, raw);
        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 2)));
        assertThat(jdbc.queryForObject("select t.fields from case_task t join yk_case c on c.id = t.case_id "
                + "where c.case_no = ? and t.task_no = 2", String.class, caseNo)).contains("高供高计", "12800.00");
    }

    // ------------------------------------------------------------------

    private static MimeMessage withSubject(MimeMessage m, String subject) throws Exception {
        m.setSubject(subject, "UTF-8");
        String id = m.getMessageID();
        m.saveChanges();
        m.setHeader("Message-ID", id);
        return m;
    }

    /** Sends the mail and checks: quarantined with the code, moved to Quarantine, the case unchanged, reps told or not. */
    private void quarantined(String from, MimeMessage m, RejectionCode code, boolean repsToldWhy) {
        Map<String, Object> before = snapshot();
        String id = messageId(m);
        mail.send(from, m);
        await().atMost(WAIT.multipliedBy(2)).until(() -> jdbc.queryForObject("select count(*) from unit_mail where message_id = ?",
                Integer.class, id) == 1);
        Map<String, Object> row = jdbc.queryForMap("select outcome, folder, reasons, raw_size from unit_mail where message_id = ?", id);
        assertThat(row.get("OUTCOME")).isEqualTo("QUARANTINED");
        assertThat(row.get("FOLDER")).isEqualTo("Quarantine");
        assertThat((String) row.get("REASONS")).contains("\"" + code.name() + "\"");
        assertThat((Long) row.get("RAW_SIZE")).as("the raw mail is kept").isPositive();
        assertThat(snapshot()).as("the case is unchanged").isEqualTo(before);
        mail.await(HUB, "Quarantine", MailClient.messageId(id), WAIT);
        assertThat(mail.messages(HUB, "INBOX", MailClient.messageId(id))).as("moved out of INBOX").isEmpty();
        if (repsToldWhy) {
            MimeMessage notice = mail.await(MailFixtures.noticeMailbox(jdbc, id), "INBOX", MailClient.textContains(id), WAIT);
            String text = MailClient.textOf(notice);
            assertThat(text).contains("[" + code.name() + "]", "Quarantine");
            assertThat(subject(notice)).contains(code.titleZh(), code.titleEn());
        } else {
            // the quarantine committed before the mail was moved; once every mail of the hub has left, a notice
            // written for it would be in the reps' mailbox
            Outboxes.awaitChannelDelivered(jdbc, Outbox.MAIL, WAIT);
            assertThat(mail.messages(MailFixtures.noticeMailbox(jdbc, id), "INBOX", MailClient.textContains(id))).as("no answer to a robot").isEmpty();
            assertThat(jdbc.queryForObject("select count(*) from outbox where payload like ?", Integer.class, "%" + id + "%"))
                    .isZero();
        }
    }

    private Map<String, Object> snapshot() {
        Map<String, Object> c = jdbc.queryForMap("select stage, version, state_json, updated_at from yk_case where case_no = ?", caseNo);
        List<Map<String, Object>> tasks = jdbc.queryForList("select t.task_no, t.status, t.result, t.fields from case_task t "
                + "join yk_case c on c.id = t.case_id where c.case_no = ? order by t.task_no", caseNo);
        // the intake documents are issued in the background and may add their entries meanwhile: not the mail's doing
        Integer timeline = jdbc.queryForObject("select count(*) from case_timeline t join yk_case c on c.id = t.case_id "
                + "where c.case_no = ? and t.kind not like 'DOCUMENT%'", Integer.class, caseNo);
        Integer processed = jdbc.queryForObject("select count(*) from unit_mail where outcome = 'PROCESSED'", Integer.class);
        return Map.of("case", c, "tasks", tasks, "timeline", timeline, "processedReplies", processed);
    }

    static {
        // keep StandardCharsets referenced for readers of the raw builders above
        assert StandardCharsets.UTF_8 != null;
    }
}
