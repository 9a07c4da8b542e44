package cn.yekuo.hub.replies;

import cn.yekuo.hub.handoff.HandoffMails;
import cn.yekuo.hub.mailtransport.MailHealthIndicator;
import cn.yekuo.hub.quarantine.UnitMailQuarantineTest;
import static cn.yekuo.hub.replies.MailFixtures.HUB;
import static cn.yekuo.hub.replies.MailFixtures.MARKETING;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.REP;
import static cn.yekuo.hub.replies.MailFixtures.REPS;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;
import static cn.yekuo.hub.replies.MailFixtures.messageId;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.Outboxes;
import cn.yekuo.hub.support.RouteRuns;
import cn.yekuo.hub.support.RunningHub;

/**
 * Mail across outages and restarts, with the hub on an external mail server (a GreenMail the test owns, as in
 * docker-compose): hand-offs wait while SMTP is down and leave once when it is back; a reply committed but not yet
 * moved when the hub stopped is moved after the restart without a second effect.
 */
public class UnitMailOutageTest {

    static final String SECRET = "outage-test-secret-0123456789abcdef";

    static GreenMail mailServer(int smtpPort, int imapPort) {
        GreenMail server = new GreenMail(new ServerSetup[] {
                new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        server.start();
        for (String address : List.of(HUB, PRODUCTION, MARKETING, REPS, REP, "construction@yekuo.local")) {
            server.setUser(address, address, address);
        }
        return server;
    }

    public static Map<String, Object> externalMail(int smtpPort, int imapPort, boolean readReplies) {
        Map<String, Object> props = new HashMap<>();
        props.put("yk.mail.embedded", "false");
        props.put("yk.mail.smtp-host", "127.0.0.1");
        props.put("yk.mail.smtp-port", String.valueOf(smtpPort));
        props.put("yk.mail.imap-host", "127.0.0.1");
        props.put("yk.mail.imap-port", String.valueOf(imapPort));
        props.put("yk.mail.hub-user", HUB);
        props.put("yk.mail.hub-password", HUB);
        props.put("yk.mail.token-secret", SECRET);
        props.put("yk.mail.read-replies", String.valueOf(readReplies));
        props.put("yk.mail.poll-interval", "300ms");
        props.put("yk.mail.relay-interval", "200ms");
        return props;
    }

    static int pendingMails(RunningHub hub) {
        return hub.jdbc().queryForObject("select count(*) from outbox where channel = 'mail' and message_id like 'handoff-%' and sent_at is null", Integer.class);
    }

    @Test
    void hand_offs_wait_while_smtp_is_down_and_leave_once_when_it_is_back() throws Exception {
        int smtp = 3722;
        int imap = 3723;
        Path data = RunningHub.newDataDir("mail-smtp-down");
        try (RunningHub hub = RunningHub.start(data, 61721, externalMail(smtp, imap, false));
             BillingClient billing = new BillingClient("tcp://127.0.0.1:61721")) {
            String[] created = MailFixtures.newCase(billing, hub.jdbc());
            // billing hears of the case although no mail can leave: the mail relay does not hold up the status relay
            List<JsonNode> status = billing.awaitStatus(created[0], 3, WAIT);
            assertThat(status.stream().map(m -> m.get("stage").asText()).toList()).containsExactly("RECEIVED", "ACCEPTED", "SCHEME");
            assertThat(pendingMails(hub)).isEqualTo(2);
            // several whole relay runs against the closed port, each ending the run without charging a mail
            RouteRuns.awaitRuns(hub.bean(CamelContext.class), "mail-relay", 3, WAIT);
            assertThat(pendingMails(hub)).as("nothing is lost while SMTP is down").isEqualTo(2);
            assertThat(hub.bean(MailHealthIndicator.class).health().getStatus().getCode()).as("health says so").isEqualTo("DOWN");

            GreenMail server = mailServer(smtp, imap);
            try {
                MailClient mail = new MailClient(smtp, imap);
                MimeMessage t1 = awaitHandoff(mail, PRODUCTION, created[1], 1);
                MimeMessage t2 = awaitHandoff(mail, MARKETING, created[1], 2);
                await().atMost(WAIT).until(() -> pendingMails(hub) == 0);
                assertThat(messageId(t1)).isEqualTo("<" + HandoffMails.outboxIdOf(created[1], 1) + "@yekuo.local>");
                assertThat(messageId(t2)).isEqualTo("<" + HandoffMails.outboxIdOf(created[1], 2) + "@yekuo.local>");
                // nothing is left to send, and the relay has run again since: no second copy is on its way
                RouteRuns.awaitRuns(hub.bean(CamelContext.class), "mail-relay", 1, WAIT);
                assertThat(pendingMails(hub)).isZero();
                assertThat(mail.inbox(PRODUCTION)).as("sent once").hasSize(1);
                assertThat(mail.inbox(MARKETING)).as("sent once").hasSize(1);
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void a_reply_committed_but_not_moved_before_a_stop_is_moved_after_the_restart_without_a_second_effect() throws Exception {
        int smtp = 3724;
        int imap = 3725;
        Path data = RunningHub.newDataDir("mail-restart");
        GreenMail server = mailServer(smtp, imap);
        MailClient mail = new MailClient(smtp, imap);
        try {
            String caseNo;
            String replyId;
            Map<String, Object> before;
            // first life: replies are not polled; the reply is handled by hand, as the route would, and the hub stops
            // before the mail is moved (the state a crash after the commit leaves behind)
            try (RunningHub hub = RunningHub.start(data, 61722, externalMail(smtp, imap, false));
                 BillingClient billing = new BillingClient("tcp://127.0.0.1:61722")) {
                caseNo = MailFixtures.newCase(billing, hub.jdbc())[1];
                MimeMessage t1 = awaitHandoff(mail, PRODUCTION, caseNo, 1);
                MimeMessage answer = reply(mail, t1, PRODUCTION, UnitMailQuarantineTest.TECHNICAL);
                replyId = messageId(answer);
                mail.send(PRODUCTION, answer);
                MimeMessage arrived = mail.await(HUB, "INBOX", MailClient.messageId(replyId), WAIT);
                UnitReplies.Outcome outcome = hub.bean(UnitReplies.class).handle(arrived);
                assertThat(outcome.outcome()).isEqualTo(UnitReplies.PROCESSED);
                assertThat(taskStatus(hub.jdbc(), caseNo, 1)).isEqualTo("CLOSED");
                await().atMost(WAIT).until(() -> pendingMails(hub) == 0);
                before = effects(hub, caseNo);
            }
            assertThat(mail.messages(HUB, "INBOX", MailClient.messageId(replyId))).as("still unread in INBOX").hasSize(1);

            // second life: the route reads the mail again, recognises it and only moves it
            try (RunningHub hub = RunningHub.start(data, 61722, externalMail(smtp, imap, true))) {
                mail.await(HUB, "Processed", MailClient.messageId(replyId), WAIT);
                assertThat(mail.messages(HUB, "INBOX", MailClient.messageId(replyId))).as("moved out of INBOX").isEmpty();
                // the mail was handled (committed) before it was moved; whatever its handling caused has left too
                Outboxes.awaitNothingPending(hub.jdbc(), caseNo, WAIT);
                assertThat(effects(hub, caseNo)).as("no second effect").isEqualTo(before);
                assertThat(hub.jdbc().queryForObject("select count(*) from unit_mail where message_id = ?", Integer.class, replyId))
                        .isEqualTo(1);
                assertThat(mail.inbox(REPS)).as("no quarantine notice").isEmpty();
                assertThat(mail.inbox(REP)).as("no quarantine notice to the case's representative").isEmpty();
            }
        } finally {
            server.stop();
        }
    }

    private static Map<String, Object> effects(RunningHub hub, String caseNo) {
        Map<String, Object> e = new HashMap<>();
        e.put("case", hub.jdbc().queryForMap("select stage, version, state_json from yk_case where case_no = ?", caseNo));
        e.put("tasks", hub.jdbc().queryForList("select t.task_no, t.status, t.fields from case_task t join yk_case c "
                + "on c.id = t.case_id where c.case_no = ? order by t.task_no", caseNo));
        e.put("timeline", hub.jdbc().queryForObject("select count(*) from case_timeline", Integer.class));
        e.put("outbox", hub.jdbc().queryForObject("select count(*) from outbox", Integer.class));
        e.put("processed", hub.jdbc().queryForObject("select count(*) from unit_mail where outcome = 'PROCESSED'",
                Integer.class));
        return e;
    }

    static {
        Duration.ofSeconds(1); // keep java.time imported for readers
    }
}
