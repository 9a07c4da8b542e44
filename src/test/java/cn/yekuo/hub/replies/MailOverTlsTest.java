package cn.yekuo.hub.replies;

import static cn.yekuo.hub.replies.MailFixtures.HUB;
import static cn.yekuo.hub.replies.MailFixtures.MARKETING;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.REPS;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.yekuo.hub.mailtransport.MailHealthIndicator;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.RunningHub;
import cn.yekuo.hub.support.StartTlsFront;

/**
 * The hub on real-server settings with protected connections (yk.mail.smtp-security, imap-security, trust-store): the
 * mail relay sends over SMTPS (implicit TLS) and over STARTTLS, the reply reader and the health check log in over
 * IMAPS and over IMAP with STARTTLS, each checking the server's certificate against the configured trust store (a certificate made for
 * 127.0.0.1 by keytool for this test). GreenMail serves SMTPS and IMAPS; STARTTLS, which it lacks, is put in front of its
 * plain SMTP and IMAP ports by {@link StartTlsFront}.
 */
class MailOverTlsTest {

    static final String STORE_PASSWORD = "changeit";
    static final String TRUST_PASSWORD = "trust-secret";

    @TempDir
    static Path certificates;

    static Path serverKeys;
    static Path trustStore;
    static Path pem;

    @BeforeAll
    static void certificates() throws Exception {
        serverKeys = certificates.resolve("server.p12");
        trustStore = certificates.resolve("trust.p12");
        pem = certificates.resolve("server.pem");
        keytool("-genkeypair", "-alias", "greenmail", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-storetype", "PKCS12",
                "-keystore", serverKeys.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "greenmail", "-keystore", serverKeys.toString(), "-storepass", STORE_PASSWORD,
                "-file", pem.toString());
        keytool("-importcert", "-noprompt", "-alias", "mail", "-file", pem.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", TRUST_PASSWORD);
        // GreenMail's SSL server sockets read their key once per JVM; no other test serves SMTPS or IMAPS
        System.setProperty("greenmail.tls.keystore.file", serverKeys.toString());
        System.setProperty("greenmail.tls.keystore.password", STORE_PASSWORD);
    }

    @Test
    void the_relay_sends_over_smtps_and_the_reader_and_health_log_in_over_imaps() throws Exception {
        int smtps = RunningHub.freePort();
        int imaps = RunningHub.freePort();
        GreenMail server = server(new ServerSetup(smtps, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS),
                new ServerSetup(imaps, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS));
        Map<String, Object> props = tls(UnitMailOutageTest.externalMail(smtps, imaps, true), "tls", "tls");
        int broker = RunningHub.freePort();
        try (RunningHub hub = RunningHub.start(RunningHub.newDataDir("mail-tls"), broker, props);
             BillingClient billing = new BillingClient("tcp://127.0.0.1:" + broker)) {
            MailFixtures.newCase(billing, hub.jdbc());
            await("hand-offs delivered over SMTPS").atMost(WAIT).until(() -> recipients(server).containsAll(List.of(PRODUCTION, MARKETING)));
            assertThat(hub.bean(MailHealthIndicator.class).health().getStatus().getCode()).isEqualTo("UP");

            awaitQuarantined(server, "read over IMAPS and moved to Quarantine");
        } finally {
            server.stop();
        }
    }

    @Test
    void the_relay_and_the_reader_upgrade_with_starttls_before_they_log_in() throws Exception {
        int smtp = RunningHub.freePort();
        int imap = RunningHub.freePort();
        int submission = RunningHub.freePort();
        int imapFront = RunningHub.freePort();
        GreenMail server = server(new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imap, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        Map<String, Object> props = tls(UnitMailOutageTest.externalMail(submission, imapFront, true), "starttls", "starttls");
        // the server's certificate as a PEM file (as a mail server keeps it), no trust store made with keytool
        props.put("yk.mail.trust-store", pem.toString());
        props.remove("yk.mail.trust-store-password");
        int broker = RunningHub.freePort();
        try (StartTlsFront smtpFront = new StartTlsFront(StartTlsFront.Protocol.SMTP, submission, smtp, serverContext());
             StartTlsFront imapTls = new StartTlsFront(StartTlsFront.Protocol.IMAP, imapFront, imap, serverContext());
             RunningHub hub = RunningHub.start(RunningHub.newDataDir("mail-starttls"), broker, props);
             BillingClient billing = new BillingClient("tcp://127.0.0.1:" + broker)) {
            MailFixtures.newCase(billing, hub.jdbc());
            await("hand-offs delivered after STARTTLS").atMost(WAIT).until(() -> recipients(server).containsAll(List.of(PRODUCTION, MARKETING)));
            assertThat(smtpFront.upgraded()).as("the front takes no mail before STARTTLS").isPositive();
            assertThat(hub.bean(MailHealthIndicator.class).health().getStatus().getCode()).isEqualTo("UP");
            awaitQuarantined(server, "read over IMAP after STARTTLS and moved to Quarantine");
            assertThat(imapTls.upgraded()).as("the front allows no login before STARTTLS").isPositive();
        } finally {
            server.stop();
        }
    }

    /** A stranger's mail put in the hub's INBOX is read by the hub and quarantined. */
    private static void awaitQuarantined(GreenMail server, String what) throws Exception {
        GreenMailUser hubUser = server.getUserManager().getUser(HUB);
        hubUser.deliver(GreenMailUtil.createTextEmail(HUB, "stranger@example.cn", "hello", "no task token here",
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)));
        ImapHostManager folders = server.getManagers().getImapHostManager();
        await(what).atMost(WAIT).until(() -> {
            MailFolder quarantine = folders.getFolder(hubUser, "Quarantine");
            return quarantine != null && quarantine.getMessageCount() == 1;
        });
    }

    private static Map<String, Object> tls(Map<String, Object> props, String smtpSecurity, String imapSecurity) {
        props.put("yk.mail.smtp-security", smtpSecurity);
        props.put("yk.mail.imap-security", imapSecurity);
        props.put("yk.mail.trust-store", trustStore.toString());
        props.put("yk.mail.trust-store-password", TRUST_PASSWORD);
        props.put("yk.documents.mail-customers", "false");
        return props;
    }

    private static GreenMail server(ServerSetup... setups) {
        for (ServerSetup s : setups) {
            s.setServerStartupTimeout(30_000);
        }
        GreenMail server = new GreenMail(setups);
        server.start();
        for (String address : List.of(HUB, PRODUCTION, MARKETING, REPS, "construction@yekuo.local")) {
            server.setUser(address, address, address);
        }
        return server;
    }

    private static List<String> recipients(GreenMail server) throws Exception {
        List<String> to = new ArrayList<>();
        for (MimeMessage m : server.getReceivedMessages()) {
            Address[] all = m.getRecipients(Message.RecipientType.TO);
            for (Address a : all == null ? new Address[0] : all) {
                to.add(a.toString());
            }
        }
        return to;
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(serverKeys.toFile())) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + out);
        }
    }
}
