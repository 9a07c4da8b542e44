package cn.yekuo.hub.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubProcess;
import cn.yekuo.hub.support.RunningHub;

/**
 * kill -9 drill mid-lifecycle (issue 15, item 4): hand-off mails and customer documents in flight when the hub (its
 * own JVM) is killed; after the restart every hand-off and every document has reached its receiver exactly once by
 * Message-ID, and the hub has issued each document once. The mail server belongs to the test (the hub runs with
 * {@code yk.mail.embedded=false}), so the mailboxes outlive the killed hub, as a real mail server would.
 */
abstract class KillMidLifecycleContract {

    static final Duration START = Duration.ofSeconds(150);
    static final String SECRET = "kill-drill-token-secret-0123456789abcdef";
    static final String HUB = "hub@yekuo.local";
    static final String PRODUCTION = "production@yekuo.local";
    static final String MARKETING = "marketing@yekuo.local";
    /** The customers of the examples: a complete new install (contact card), an incomplete capacity increase (notice). */
    static final String COMPLETE_CUSTOMER = "lisi@dongjiao-materials.example.cn";
    static final String MISSING_CUSTOMER = "wangwu@xijiao-coldchain.example.cn";
    /** Per wave: complete applications (two scheme hand-offs and a contact card each) and incomplete ones (a notice each). */
    static final int COMPLETE = 4;
    static final int MISSING = 2;

    GreenMail mail;

    /** The case store the hub process uses (empty map: its embedded H2 under the data directory). */
    abstract Map<String, String> database(String name);

    /** A connection to that store once the hub has stopped. */
    abstract Connection connect(Path dataDir) throws Exception;

    /** The mail relay's threads. */
    private static final int RELAY_THREADS = 2;
    /**
     * The mail relay's batch: a run's mails are marked sent together when it ends, so at most one run's mails are sent
     * but unmarked when the hub is killed, and sent again after the restart. Below a wave's 8 hand-offs.
     */
    private static final int RELAY_BATCH = 6;

    @AfterEach
    void stopMail() {
        if (mail != null) {
            mail.stop();
        }
    }

    @Test
    void every_hand_off_and_document_reaches_its_receiver_once_after_a_kill_minus_9() throws Exception {
        int smtp = RunningHub.freePort();
        int imap = RunningHub.freePort();
        mail = new GreenMail(new ServerSetup[] {
                new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imap, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        mail.start();
        for (String address : List.of(HUB, PRODUCTION, MARKETING, "reps@yekuo.local", COMPLETE_CUSTOMER, MISSING_CUSTOMER)) {
            mail.setUser(address, address, address);
        }
        Path work = HubProcess.newWorkDir("kill-mid-lifecycle");
        int brokerPort = RunningHub.freePort();
        String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
        Map<String, String> args = new HashMap<>(database("kill_mid"));
        args.put("yk.broker.acceptor", brokerUrl + "?protocols=CORE");
        args.put("yk.mail.embedded", "false");
        args.put("yk.mail.smtp-host", "127.0.0.1");
        args.put("yk.mail.smtp-port", String.valueOf(smtp));
        args.put("yk.mail.imap-host", "127.0.0.1");
        args.put("yk.mail.imap-port", String.valueOf(imap));
        args.put("yk.mail.hub-user", HUB);
        args.put("yk.mail.hub-password", HUB);
        args.put("yk.mail.token-secret", SECRET);
        args.put("yk.mail.relay-threads", String.valueOf(RELAY_THREADS));
        args.put("yk.mail.relay-batch", String.valueOf(RELAY_BATCH));

        int handOffsAtKill;
        int documentsAtKill;
        try (HubProcess hub = HubProcess.classpath(work, args).awaitHealthy(START);
             BillingClient billing = new BillingClient(brokerUrl)) {
            sendWave(billing);
            await("the first wave's hand-offs and a first document arrived").atMost(Duration.ofSeconds(90))
                    .until(() -> handOffs().size() == 2 * COMPLETE && !documents().isEmpty());
            // the second wave's hand-offs leave in one relay batch while the first wave's documents are being issued
            sendWave(billing);
            await("a hand-off of the second wave arrived").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                    .until(() -> handOffs().size() > 2 * COMPLETE);
            hub.kill();
            handOffsAtKill = handOffs().size();
            documentsAtKill = documents().size();
        }
        int expectedHandOffs = 2 * 2 * COMPLETE;
        int expectedDocuments = 2 * (COMPLETE + MISSING);
        assertThat(documentsAtKill).as("documents still being issued at the kill").isLessThan(expectedDocuments);

        try (HubProcess hub = HubProcess.classpath(work, args).awaitHealthy(START)) {
            await("every hand-off and document arrived").atMost(Duration.ofSeconds(120))
                    .until(() -> distinct(handOffs()).size() >= expectedHandOffs
                            && distinct(documents()).size() >= expectedDocuments);
        } // a graceful stop: whatever the hub still had to send, it sent or left pending in its outbox

        List<MimeMessage> handOffs = handOffs();
        List<MimeMessage> documents = documents();
        try (Connection c = connect(work.resolve("data"))) {
            JdbcTemplate db = new JdbcTemplate(new SingleConnectionDataSource(c, true));
            assertThat(db.queryForObject("select count(*) from outbox where sent_at is null", Integer.class))
                    .as("nothing left to send: what arrived is all there is").isZero();
            assertThat(db.queryForObject("select count(*) from yk_case", Integer.class)).isEqualTo(2 * (COMPLETE + MISSING));
            Map<String, Integer> documentsPerCase = new TreeMap<>();
            db.query("select c.case_no, d.path from case_document d join yk_case c on c.id = d.case_id", rs -> {
                documentsPerCase.merge(rs.getString(1), 1, Integer::sum);
                assertThat(work.resolve("data/documents").resolve(rs.getString(2))).as("archived file").exists();
            });
            assertThat(documentsPerCase).as("one document issued per case").hasSize(2 * (COMPLETE + MISSING))
                    .allSatisfy((caseNo, n) -> assertThat(n).as(caseNo).isEqualTo(1));
            assertThat(distinct(List.of(mail.getReceivedMessages())))
                    .as("as many Message-IDs arrived as the hub committed mails: none sent under a second id")
                    .hasSize(db.queryForObject("select count(*) from outbox where channel = 'mail'", Integer.class));
        }
        assertThat(distinct(handOffs)).as("hand-offs by Message-ID").hasSize(expectedHandOffs);
        assertThat(handOffs.size() + documents.size()).as("a run's mails are marked sent together: the kill sends again at"
                + " most the run in flight").isLessThanOrEqualTo(expectedHandOffs + expectedDocuments + RELAY_BATCH);
        assertThat(distinct(documents)).as("document mails by Message-ID").hasSize(expectedDocuments);
        assertThat(distinct(recipients(documents, COMPLETE_CUSTOMER))).as("contact cards").hasSize(2 * COMPLETE);
        assertThat(distinct(recipients(documents, MISSING_CUSTOMER))).as("materials notices").hasSize(2 * MISSING);
        assertThat(distinct(recipients(handOffs, PRODUCTION))).as("technical scheme hand-offs").hasSize(2 * COMPLETE);
        assertThat(distinct(recipients(handOffs, MARKETING))).as("business scheme hand-offs").hasSize(2 * COMPLETE);
        System.out.printf("kill -9 drill: at the kill %d hand-offs and %d documents had arrived; afterwards %d hand-off and %d"
                        + " document copies for %d and %d Message-IDs; %d archived files for %d documents%n",
                handOffsAtKill, documentsAtKill, handOffs.size(), documents.size(), expectedHandOffs, expectedDocuments,
                pdfFiles(work.resolve("data/documents")), expectedDocuments);
    }

    private void sendWave(BillingClient billing) {
        for (int i = 0; i < COMPLETE; i++) {
            billing.sendApplication(BillingClient.uniqueExample("application-new-install.json").toString());
        }
        for (int i = 0; i < MISSING; i++) {
            String incomplete = "application-capacity-increase-missing-materials.json";
            billing.sendApplication(BillingClient.uniqueExample(incomplete).toString());
        }
    }

    /** Mails received by the two scheme units. */
    private List<MimeMessage> handOffs() {
        List<MimeMessage> found = new ArrayList<>(recipients(List.of(mail.getReceivedMessages()), PRODUCTION));
        found.addAll(recipients(List.of(mail.getReceivedMessages()), MARKETING));
        return found;
    }

    /** Mails received by the customers (each carries one document). */
    private List<MimeMessage> documents() {
        List<MimeMessage> found = new ArrayList<>(recipients(List.of(mail.getReceivedMessages()), COMPLETE_CUSTOMER));
        found.addAll(recipients(List.of(mail.getReceivedMessages()), MISSING_CUSTOMER));
        return found;
    }

    private static List<MimeMessage> recipients(List<MimeMessage> messages, String address) {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage m : messages) {
            try {
                Address[] to = m.getAllRecipients();
                if (to != null && List.of(to).stream().anyMatch(a -> a.toString().contains(address))) {
                    found.add(m);
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }

    private static Set<String> distinct(List<MimeMessage> messages) {
        Set<String> ids = new HashSet<>();
        for (MimeMessage m : messages) {
            try {
                ids.add(m.getMessageID());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return ids;
    }

    private static long pdfFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".pdf")).count();
        }
    }
}
