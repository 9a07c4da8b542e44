package cn.yekuo.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.MutableClock;
import cn.yekuo.hub.support.RepClient;
import cn.yekuo.hub.support.RunningHub;

/**
 * The story of {@link Lifecycle} with the hub stopped and started again on the same data directory at the moments a
 * crash hurts most, each right after the hub committed an effect and before it told the outside world:
 * <ul>
 * <li><b>a billing message consumed</b> ({@code MaterialsSupplemented}; {@code ContractSigned}): the hub committed
 * the event, then stops; a crash before the JMS acknowledgement makes the broker deliver the message again, which
 * the test reproduces by sending the identical message (same {@code messageId}) to the new hub;</li>
 * <li><b>a unit mail read</b> (the rejected scheme): the hub committed the reply, then stops; a crash before the
 * IMAP move leaves the mail unread in INBOX, which the test reproduces over IMAP while the hub is down (the mail is
 * moved back from Processed to INBOX and marked unseen);</li>
 * <li><b>the outbox has rows</b>: from the passed acceptance to the signed contract the hub runs with its relays
 * off ({@code yk.outbox.enabled=false}), so the CONTRACT and ENERGIZATION status messages, the acceptance opinion
 * and contract mails and the energization hand-off are committed and unsent when it stops, as after a crash
 * between commit and publish; the next hub (relays on) sends them.</li>
 * </ul>
 * The mail server belongs to the test (the hub runs with {@code yk.mail.embedded=false}), so mailboxes outlive the
 * hub, as with a real mail server. Afterwards every status message, mail and document has arrived exactly once.
 */
class EndToEndRestartTest extends Lifecycle {

    static final int BROKER_PORT = 61762;
    static final int SMTP_PORT = 3764;
    static final int IMAP_PORT = 3765;
    static final String BROKER_URL = "tcp://127.0.0.1:" + BROKER_PORT;

    final Path data = RunningHub.newDataDir("e2e-restart");
    final int httpPort = RunningHub.freePort();
    GreenMail server;
    RunningHub hub;
    BillingClient billing;
    RepClient rep;
    MailClient mail;
    MutableClock clock;
    final List<String> restarts = new ArrayList<>();
    boolean relays;

    @BeforeEach
    void start() {
        server = new GreenMail(new ServerSetup[] {
                new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(IMAP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        server.start();
        ADDRESSES.forEach(a -> server.setUser(a, a, a));
        mail = new MailClient(SMTP_PORT, IMAP_PORT);
        rep = new RepClient(httpPort, "rep", "rep");
        startHub(true, START.toString());
    }

    @AfterEach
    void stop() {
        stopHub();
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void the_lifecycle_completes_with_no_lost_and_no_duplicated_effect_across_restarts() throws Exception {
        play();
        verify();
        assertThat(restarts).containsExactly("materials-supplemented", "scheme-rejected", "acceptance-passed", "contract-signed");
    }

    @Override
    void step(String point, Runnable action, Runnable effect) {
        switch (point) {
            case "materials-supplemented" -> {
                action.run();
                effect.run();
                restart(true);
                redeliver(point);
            }
            case "scheme-rejected" -> {
                action.run();
                effect.run();
                String reply = replyIds.get(replyIds.size() - 1);
                await().atMost(WAIT).until(() -> !mail.messages(HUB, "Processed", MailClient.messageId(reply)).isEmpty());
                stopHub();
                putBackUnread(reply);
                startHub(true, clock.instant().toString());
                restarts.add(point);
                await().atMost(WAIT).until(() -> !mail.messages(HUB, "Processed", MailClient.messageId(reply)).isEmpty());
                await().atMost(WAIT).until(() -> mail.messages(HUB, "INBOX", MailClient.messageId(reply)).isEmpty());
            }
            case "acceptance-passed" -> {
                // relays off from here to the signed contract: what this step and the formalities commit stays unsent
                restart(false);
                action.run();
                effect.run();
                assertUnsent(point);
                restarts.add(point);
            }
            case "contract-signed" -> {
                action.run();
                effect.run();
                assertUnsent(point);
                restart(true);
                redeliver(point);
            }
            default -> {
                action.run();
                effect.run();
            }
        }
    }

    /** The same message once more, as the broker redelivers one whose acknowledgement a crash lost. */
    private void redeliver(String point) {
        String again = lastBillingMessage;
        billing.sendEvent(again);
        String id;
        try {
            id = BillingClient.JSON.readTree(again).get("messageId").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        restarts.add(point);
        assertThat(billing.awaitRejection(id, Duration.ofSeconds(2))).as("a repeat is acknowledged, not rejected").isEmpty();
        await("the repeat was consumed").atMost(WAIT).until(() -> queueEmpty("yk.billing.events"));
    }

    /** Browsed with the hub's own connection factory (billing may not browse): nothing left on the queue. */
    private boolean queueEmpty(String queue) throws Exception {
        jakarta.jms.ConnectionFactory factory = hub.bean(jakarta.jms.ConnectionFactory.class);
        try (jakarta.jms.Connection c = factory.createConnection();
             jakarta.jms.Session s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
             jakarta.jms.QueueBrowser browser = s.createBrowser(s.createQueue(queue))) {
            c.start();
            return !browser.getEnumeration().hasMoreElements();
        }
    }

    private void assertUnsent(String point) {
        int unsent = hub.jdbc().queryForObject("select count(*) from outbox where sent_at is null", Integer.class);
        assertThat(unsent).as("committed and not sent at %s", point).isPositive();
    }

    /** Moves a processed reply back into the hub's INBOX, unseen: what a crash before the IMAP move leaves. */
    private void putBackUnread(String messageId) {
        try (Store store = mail.session().getStore("imap")) {
            store.connect("127.0.0.1", IMAP_PORT, HUB, HUB);
            Folder processed = store.getFolder("Processed");
            processed.open(Folder.READ_WRITE);
            Message original = find(processed, messageId);
            Folder inbox = store.getFolder("INBOX");
            processed.copyMessages(new Message[] {original}, inbox);
            original.setFlag(Flags.Flag.DELETED, true);
            processed.close(true);
            inbox.open(Folder.READ_WRITE);
            find(inbox, messageId).setFlag(Flags.Flag.SEEN, false);
            inbox.close(false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(mail.messages(HUB, "Processed", MailClient.messageId(messageId))).isEmpty();
        assertThat(mail.messages(HUB, "INBOX", MailClient.messageId(messageId))).hasSize(1);
    }

    private static Message find(Folder folder, String messageId) throws Exception {
        for (Message m : folder.getMessages()) {
            String[] ids = m.getHeader("Message-ID");
            if (ids != null && messageId.equals(ids[0])) {
                return m;
            }
        }
        throw new AssertionError(messageId + " not in " + folder.getFullName());
    }

    private void restart(boolean relays) {
        String now = clock.instant().toString();
        stopHub();
        startHub(relays, now);
    }

    private void startHub(boolean relays, String clockStart) {
        Map<String, Object> props = EndToEndTest.settings(httpPort);
        props.put("yk.test.clock-start", clockStart);
        // the story's clock runs days apart from the mail server's: replies count when the hub reads them
        props.put("yk.mail.time-replies-by-arrival", "false");
        props.put("yk.outbox.enabled", String.valueOf(relays));
        this.relays = relays;
        props.put("yk.mail.embedded", "false");
        props.put("yk.mail.smtp-host", "127.0.0.1");
        props.put("yk.mail.smtp-port", String.valueOf(SMTP_PORT));
        props.put("yk.mail.imap-host", "127.0.0.1");
        props.put("yk.mail.imap-port", String.valueOf(IMAP_PORT));
        props.put("yk.mail.hub-user", HUB);
        props.put("yk.mail.hub-password", HUB);
        hub = RunningHub.start(data, BROKER_PORT, props);
        clock = hub.bean(MutableClock.class);
        billing = new BillingClient(BROKER_URL);
    }

    private void stopHub() {
        if (billing != null) {
            billing.close();
            billing = null;
        }
        if (hub != null) {
            hub.close();
            hub = null;
        }
    }

    @Override
    boolean relaying() {
        return relays;
    }

    @Override
    MutableClock clock() {
        return clock;
    }

    @Override
    BillingClient billing() {
        return billing;
    }

    @Override
    RepClient rep() {
        return rep;
    }

    @Override
    MailClient mail() {
        return mail;
    }
}
