package cn.yekuo.hub.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubProcess;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.Replies;
import cn.yekuo.hub.support.RunningHub;

/**
 * Restart drill of the embedded default's mail server (issue 22, docs/reliability.md): the hub (its own JVM, embedded
 * mail, H2) holds a case in SCHEME with the marketing unit's hand-off unread in its mailbox and the production unit's
 * reply unprocessed in the hub's INBOX (the hub runs with {@code yk.mail.read-replies=false}). The hub is stopped, by
 * SIGTERM or by kill -9, and started again on the same data directory: marketing still finds its hand-off over IMAP
 * and answers it, production's reply is processed once, and both scheme tasks closed move the case on to DESIGN.
 */
class EmbeddedMailRestartTest {

    static final Duration START = Duration.ofSeconds(300); // a shared, loaded machine starts the hub slowly
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String HUB = "hub@yekuo.local";
    static final String PRODUCTION = "production@yekuo.local";
    static final String MARKETING = "marketing@yekuo.local";

    @Test
    void unread_hand_off_and_unprocessed_reply_survive_a_graceful_restart() throws Exception {
        drill("graceful", false);
    }

    @Test
    void unread_hand_off_and_unprocessed_reply_survive_a_kill_minus_9() throws Exception {
        drill("kill", true);
    }

    private void drill(String name, boolean kill) throws Exception {
        Path work = HubProcess.newWorkDir("embedded-mail-restart-" + name);
        String brokerUrl = "tcp://127.0.0.1:" + RunningHub.freePort();
        int smtp = RunningHub.freePort();
        int imap = RunningHub.freePort();
        Map<String, String> args = new HashMap<>();
        args.put("yk.broker.acceptor", brokerUrl + "?protocols=CORE");
        args.put("yk.mail.smtp-port", String.valueOf(smtp));
        args.put("yk.mail.imap-port", String.valueOf(imap));
        MailClient mail = new MailClient(smtp, imap);
        ObjectNode application = BillingClient.uniqueExample("application-new-install.json");
        String applicationNo = application.get("applicationNo").asText();
        String replyId;

        Map<String, String> notReading = new HashMap<>(args);
        notReading.put("yk.mail.read-replies", "false");
        HubProcess first = HubProcess.classpath(work, notReading);
        try {
            first.awaitHealthy(START); // the broker is the hub's: billing connects once it is up
            try (BillingClient billing = new BillingClient(brokerUrl)) {
                billing.sendApplication(application.toString());
                MimeMessage technical = mail.await(PRODUCTION, "INBOX", MailClient.subjectContains("/T1/"), WAIT);
                mail.await(MARKETING, "INBOX", MailClient.subjectContains("/T2/"), WAIT);
                MimeMessage reply = Replies.reply(technical, PRODUCTION, HUB, "结论：同意\n电源点：110kV东郊变 10kV 912东园线\n"
                        + "接入点：912东园线 #23杆 T接\n产权分界点：客户进线电缆头\n说明：需新建 10kV 电缆 0.4km。\n" + Replies.TECHNICAL_DETAILS);
                replyId = reply.getMessageID();
                mail.send(PRODUCTION, reply);
                mail.await(HUB, "INBOX", MailClient.messageId(replyId), WAIT);
            }
        } finally {
            if (kill) {
                first.kill();
            } else {
                first.close();
            }
        }

        try (HubProcess second = HubProcess.classpath(work, args);
             BillingClient billing = new BillingClient(brokerOnceHealthy(second, brokerUrl))) {
            assertThat(second.log()).contains("mailboxes kept in");
            MimeMessage business = mail.await(MARKETING, "INBOX", MailClient.subjectContains("/T2/"), WAIT);
            assertThat(mail.messages(MARKETING, "INBOX", MailClient.subjectContains("/T2/")))
                    .as("the hand-off kept once, not sent again").hasSize(1);
            mail.send(MARKETING, Replies.reply(business, MARKETING, HUB,
                    "结论：通过\n计量方式：高供高计\n电价类别：大工业用电\n资产移交：是\n业务费用：12800.00\n" + Replies.BUSINESS_DETAILS + Replies.ASSETS));
            List<JsonNode> statuses = billing.awaitStatus(applicationNo, Integer.MAX_VALUE, Duration.ofSeconds(1));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (statuses.stream().noneMatch(s -> "DESIGN".equals(s.path("stage").asText())) && System.nanoTime() < deadline) {
                statuses.addAll(billing.awaitStatus(applicationNo, 1, Duration.ofSeconds(2)));
            }
            assertThat(statuses).extracting(s -> s.path("stage").asText()).as("the case advanced").contains("DESIGN");
            await("the reply left the INBOX").atMost(WAIT)
                    .until(() -> mail.messages(HUB, "INBOX", MailClient.messageId(replyId)).isEmpty());
            assertThat(mail.messages(HUB, "Processed", MailClient.messageId(replyId))).as("processed once").hasSize(1);
        }

        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + work.resolve("data/db/hub"), "sa", "")) {
            JdbcTemplate db = new JdbcTemplate(new SingleConnectionDataSource(c, true));
            assertThat(db.queryForObject("select count(*) from unit_mail where message_id like ? and outcome = 'PROCESSED'",
                    Integer.class, "%" + replyId.replaceAll("[<>]", "") + "%")).as("the reply taken once").isEqualTo(1);
            assertThat(db.queryForList("select status from case_task where task_no in (1, 2)", String.class))
                    .containsOnly("CLOSED").hasSize(2);
        }
    }

    /** The broker is the hub's own: billing can connect only once the hub is up. */
    private static String brokerOnceHealthy(HubProcess hub, String brokerUrl) throws Exception {
        hub.awaitHealthy(START);
        return brokerUrl;
    }
}
