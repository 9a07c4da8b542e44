package cn.yekuo.hub.handoff;

import cn.yekuo.hub.support.Replies;

import cn.yekuo.hub.replies.MailFixtures;
import static cn.yekuo.hub.replies.MailFixtures.CONSTRUCTION;
import static cn.yekuo.hub.replies.MailFixtures.MARKETING;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.TestPorts;

/**
 * Attachments are stored once and referenced by id, never carried in an outbox payload (issue 15): a DESIGN reply with
 * 3 MB of design files (more than the old 1,000,000-character payload column held) is applied, and the design review
 * hand-off the unit receives carries the same bytes, composed by the mail relay at send time.
 */
@HubTest
class DesignFilesByReferenceTest {

    static final String TECHNICAL = "结论：同意\n电源点：110kV东郊变 10kV 912东园线\n接入点：912东园线 #23杆 T接\n产权分界点：#23杆刀闸下桩头\n" + Replies.TECHNICAL_DETAILS;
    static final String BUSINESS = "结论：同意\n计量方式：高供高计\n电价类别：大工业用电\n资产移交：否\n业务费用：12800.00\n" + Replies.BUSINESS_DETAILS;

    final MailClient mail = MailClient.ofTestHub();
    BillingClient billing;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void connect() {
        billing = new BillingClient(TestPorts.BROKER_URL);
    }

    @AfterEach
    void close() {
        billing.close();
    }

    @Test
    void a_design_reply_with_three_megabytes_of_files_reaches_the_review_with_the_same_bytes() throws Exception {
        String caseNo = MailFixtures.newCase(billing, jdbc)[1];
        mail.send(PRODUCTION, reply(mail, awaitHandoff(mail, PRODUCTION, caseNo, 1), PRODUCTION, TECHNICAL));
        mail.send(MARKETING, reply(mail, awaitHandoff(mail, MARKETING, caseNo, 2), MARKETING, BUSINESS));
        MimeMessage design = awaitHandoff(mail, CONSTRUCTION, caseNo, 3);

        Random random = new Random(15);
        byte[] drawings = new byte[2 * 1024 * 1024];
        byte[] cables = new byte[1024 * 1024];
        random.nextBytes(drawings); // incompressible, as scanned drawings are
        random.nextBytes(cables);
        mail.send(CONSTRUCTION, reply(mail, design, CONSTRUCTION, "结论：完成\n说明：设计文件见附件\n", drawings, cables));
        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 3)));

        MimeMessage review = awaitHandoff(mail, PRODUCTION, caseNo, 4);
        Map<String, String> received = attachmentHashes(review);
        assertThat(received).containsEntry("设计图纸-1.pdf", sha256(drawings)).containsEntry("设计图纸-2.pdf", sha256(cables));

        String payload = jdbc.queryForObject("select payload from outbox where message_id = ?", String.class,
                HandoffMails.outboxIdOf(caseNo, 4));
        assertThat(payload.length()).as("the outbox row refers to the files, it does not carry them").isLessThan(64 * 1024);
        assertThat(payload).contains("\"REPLY_ATTACHMENT\"", "\"DOCUMENT\"");
    }

    private static Map<String, String> attachmentHashes(MimeMessage m) throws Exception {
        Map<String, String> hashes = new java.util.LinkedHashMap<>();
        List<Part> parts = new ArrayList<>();
        if (m.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                parts.add(multipart.getBodyPart(i));
            }
        }
        for (Part part : parts) {
            if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) && part.getFileName() != null) {
                hashes.put(jakarta.mail.internet.MimeUtility.decodeText(part.getFileName()),
                        sha256(part.getInputStream().readAllBytes()));
            }
        }
        return hashes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
