package cn.yekuo.hub.mailtransport;

import cn.yekuo.hub.handoff.HandoffMails;
import cn.yekuo.hub.replies.MailFixtures;
import cn.yekuo.hub.replies.UnitMailOutageTest;
import static cn.yekuo.hub.replies.MailFixtures.HUB;
import static cn.yekuo.hub.replies.MailFixtures.MARKETING;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.REP;
import static cn.yekuo.hub.replies.MailFixtures.REPS;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.RefusingMailServer;
import cn.yekuo.hub.support.RunningHub;

/**
 * The mail relay isolates failures (issue 15): the SMTP server refuses one unit's address for good (550) and answers
 * the customer's address "try again later" (451) every time. The refused hand-off is dead-lettered at its first
 * attempt, the customer's document mail after the configured attempts with backoff, each with a notice to the
 * representatives; every other mail — of the same case and of a case opened after — is delivered, and a dead mail is
 * never tried again.
 */
class MailRelayDeadLetterTest {

    static final String CUSTOMER = "lisi@dongjiao-materials.example.cn"; // application-new-install.json

    @Test
    void a_refused_recipient_is_dead_lettered_alone_and_every_later_mail_is_delivered() {
        int smtp = RunningHub.freePort();
        int imap = RunningHub.freePort();
        int broker = RunningHub.freePort();
        RefusingMailServer server = new RefusingMailServer(smtp, imap, Map.of(
                MARKETING, "550 5.1.1 <" + MARKETING + ">: mailbox unavailable",
                CUSTOMER, "451 4.3.0 mailbox busy, try again later"));
        server.start();
        for (String address : List.of(HUB, PRODUCTION, MARKETING, REPS, REP, "construction@yekuo.local")) {
            server.setUser(address, address, address);
        }
        Map<String, Object> props = UnitMailOutageTest.externalMail(smtp, imap, false);
        props.put("yk.mail.relay-max-attempts", "3");
        props.put("yk.mail.relay-backoff", "200ms");
        props.put("yk.mail.relay-max-backoff", "400ms");
        Path data = RunningHub.newDataDir("mail-dead-letter");
        MailClient mail = new MailClient(smtp, imap);
        try (RunningHub hub = RunningHub.start(data, broker, props);
             BillingClient billing = new BillingClient("tcp://127.0.0.1:" + broker)) {
            String first = MailFixtures.newCase(billing, hub.jdbc())[1];
            awaitHandoff(mail, PRODUCTION, first, 1);
            String refused = HandoffMails.outboxIdOf(first, 2);
            mail.await(REP, "INBOX", MailClient.textContains(mail(refused)), WAIT); // the case's representative (dongjiao: 王敏)
            await().atMost(WAIT).until(() -> deadMails(hub) == 2); // the hand-off and the customer's contact card

            Map<String, Object> row = hub.jdbc().queryForMap("select attempts, last_error, sent_at from outbox where message_id = ?", refused);
            assertThat(row.get("ATTEMPTS")).as("a 5xx is not tried again").isEqualTo(1);
            assertThat((String) row.get("LAST_ERROR")).contains("550", "mailbox unavailable");
            assertThat(row.get("SENT_AT")).isNull();
            Map<String, Object> card = hub.jdbc().queryForMap("select attempts, last_error from outbox where channel = 'mail' "
                    + "and dead_at is not null and message_id <> ?", refused);
            assertThat(card.get("ATTEMPTS")).as("a 4xx is tried the configured number of times").isEqualTo(3);
            assertThat((String) card.get("LAST_ERROR")).contains("451");
            String notice = MailClient.textOf(mail.await(REP, "INBOX", MailClient.textContains(CUSTOMER), WAIT));
            assertThat(notice).contains("CUSTOMER_DOCUMENT", "451", "Attempts: 3");

            // the rest keeps flowing: a case opened after gets its hand-offs, its refused one is dead-lettered alone
            String second = MailFixtures.newCase(billing, hub.jdbc())[1];
            awaitHandoff(mail, PRODUCTION, second, 1);
            mail.await(REP, "INBOX", MailClient.textContains(mail(HandoffMails.outboxIdOf(second, 2))), WAIT);
            await().atMost(WAIT).until(() -> deadMails(hub) == 4 && waitingMails(hub) == 0);

            assertThat(server.rcptCount(MARKETING)).as("each refused hand-off was offered once, never again").isEqualTo(2);
            assertThat(server.rcptCount(CUSTOMER)).as("three attempts per contact card").isEqualTo(6);
            assertThat(mail.inbox(PRODUCTION)).as("every later mail delivered").hasSize(2);
            assertThat(mail.inbox(MARKETING)).isEmpty();
            assertThat(hub.bean(MeterRegistry.class).get("yk.mails.dead").gauge().value()).as("operators see the count")
                    .isEqualTo(4.0);
            await("dead mails are not pending").atMost(WAIT).until(() -> hub.bean(Outbox.class).pendingCount() == 0);
        } finally {
            server.stop();
        }
    }

    /**
     * A sending quota (550 5.4.5 to MAIL FROM) answers every mail alike: while it lasts nothing is dead-lettered, each
     * refusal is charged to one mail only, and every mail leaves once the server accepts again.
     */
    @Test
    void a_server_refusing_the_sender_for_a_while_dead_letters_nothing() {
        int smtp = RunningHub.freePort();
        int imap = RunningHub.freePort();
        int broker = RunningHub.freePort();
        RefusingMailServer server = new RefusingMailServer(smtp, imap, Map.of());
        server.refuseSenders("550 5.4.5 Daily sending quota exceeded");
        server.start();
        for (String address : List.of(HUB, PRODUCTION, MARKETING, REPS, REP, CUSTOMER, "construction@yekuo.local")) {
            server.setUser(address, address, address);
        }
        Map<String, Object> props = UnitMailOutageTest.externalMail(smtp, imap, false);
        props.put("yk.mail.relay-max-attempts", "8");
        props.put("yk.mail.relay-backoff", "300ms");
        props.put("yk.mail.relay-max-backoff", "600ms");
        Path data = RunningHub.newDataDir("mail-sender-refused");
        MailClient mail = new MailClient(smtp, imap);
        try (RunningHub hub = RunningHub.start(data, broker, props);
             BillingClient billing = new BillingClient("tcp://127.0.0.1:" + broker)) {
            String caseNo = MailFixtures.newCase(billing, hub.jdbc())[1];
            await().atMost(WAIT).until(() -> server.senderRefusals() >= 4);
            assertThat(deadMails(hub)).as("a refusal of the sender dead-letters no mail").isZero();
            int waiting = waitingMails(hub);
            assertThat(waiting).as("the hand-offs and the contact card wait").isGreaterThanOrEqualTo(2);

            server.refuseSenders(null);
            await().atMost(WAIT).until(() -> waitingMails(hub) == 0);
            int refusals = server.senderRefusals();
            assertThat(deadMails(hub)).isZero();
            awaitHandoff(mail, PRODUCTION, caseNo, 1);
            mail.await(CUSTOMER, "INBOX", MailClient.subjectContains(caseNo), WAIT);
            Integer attempts = hub.jdbc().queryForObject("select sum(attempts) from outbox where channel = 'mail'", Integer.class);
            int mails = hub.jdbc().queryForObject("select count(*) from outbox where channel = 'mail'", Integer.class);
            assertThat(attempts).as("each refusal was charged to one mail, each mail sent once").isEqualTo(mails + refusals);
            for (String reps : List.of(REPS, REP)) {
                assertThat(mail.inbox(reps)).as("no notice of a dead mail").noneMatch(m -> MailClient.textOf(m).contains("Attempts:"));
            }
        } finally {
            server.stop();
        }
    }

    private static String mail(String outboxId) {
        return "<" + outboxId + "@yekuo.local>";
    }

    private static int deadMails(RunningHub hub) {
        return hub.jdbc().queryForObject("select count(*) from outbox where channel = 'mail' and dead_at is not null", Integer.class);
    }

    private static int waitingMails(RunningHub hub) {
        return hub.jdbc().queryForObject("select count(*) from outbox where channel = 'mail' and sent_at is null and dead_at is null",
                Integer.class);
    }
}
