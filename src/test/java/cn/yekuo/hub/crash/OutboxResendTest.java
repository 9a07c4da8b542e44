package cn.yekuo.hub.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.mailtransport.EmbeddedMailServer;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.RunningHub;

/**
 * What a crash after a relay's send and before its commit leaves: entries delivered but not marked sent, so the
 * next run sends them again. The receiver must see each once (docs/contract.md §1.10).
 */
class OutboxResendTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void a_status_message_published_again_is_dropped_by_the_broker_by_its_duplicate_id() {
        int port = RunningHub.freePort();
        ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        try (RunningHub hub = RunningHub.start(RunningHub.newDataDir("outbox-resend"), port,
                Map.of("yk.documents.issuer-enabled", "false"));
             BillingClient billing = new BillingClient("tcp://127.0.0.1:" + port)) {
            billing.sendApplication(app.toString());
            List<JsonNode> first = billing.awaitStatus(applicationNo, 3, WAIT);
            assertThat(first).extracting(m -> m.get("stage").asText()).containsExactly("RECEIVED", "ACCEPTED", "SCHEME");

            // the state a kill -9 between the broker's acceptance and the relay's commit leaves behind
            int unmarked = hub.jdbc().update("update outbox set sent_at = null where channel = 'billing-status'");
            assertThat(unmarked).isEqualTo(3);
            await("the relay sent them again").atMost(WAIT).until(() -> hub.jdbc().queryForObject(
                    "select count(*) from outbox where channel = 'billing-status' and sent_at is null", Integer.class) == 0);
            assertThat(hub.jdbc().queryForObject("select min(attempts) from outbox where channel = 'billing-status'",
                    Integer.class)).as("each was published twice").isEqualTo(2);
            assertThat(billing.awaitStatus(applicationNo, 1, Duration.ofSeconds(2))).as("billing sees each once").isEmpty();
        }
    }

    /**
     * The mail relay's side (each mail commits on its own, so a crash sends again at most the one in flight): a mail sent again carries the Message-ID it was
     * composed with, so the receiver can tell it is the same mail.
     */
    @Test
    void a_mail_sent_again_keeps_its_message_id() throws Exception {
        int port = RunningHub.freePort();
        ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
        try (RunningHub hub = RunningHub.start(RunningHub.newDataDir("outbox-resend-mail"), port,
                Map.of("yk.documents.issuer-enabled", "false"));
             BillingClient billing = new BillingClient("tcp://127.0.0.1:" + port)) {
            GreenMail server = hub.bean(EmbeddedMailServer.class).greenMail();
            billing.sendApplication(app.toString());
            await("the hand-offs were sent").atMost(WAIT).until(() -> hub.jdbc().queryForObject(
                    "select count(*) from outbox where channel = 'mail' and sent_at is not null", Integer.class) == 2);
            List<String> first = messageIds(server.getReceivedMessages());
            assertThat(first).hasSize(2).doesNotHaveDuplicates();

            int unmarked = hub.jdbc().update("update outbox set sent_at = null where channel = 'mail'");
            assertThat(unmarked).isEqualTo(2);
            await("the relay sent them again").atMost(WAIT).until(() -> hub.jdbc().queryForObject(
                    "select count(*) from outbox where channel = 'mail' and sent_at is null", Integer.class) == 0);
            List<String> all = messageIds(server.getReceivedMessages());
            assertThat(all).as("two copies, one Message-ID each").hasSize(4).containsOnlyElementsOf(first);
        }
    }

    private static List<String> messageIds(MimeMessage[] received) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        for (MimeMessage m : received) {
            ids.add(m.getMessageID());
        }
        return ids;
    }
}
