package cn.yekuo.hub.files;

import cn.yekuo.hub.support.Replies;

import static cn.yekuo.hub.replies.MailFixtures.MARKETING;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.CamelContext;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.mailtransport.EmbeddedMailServer;
import cn.yekuo.hub.replies.MailFixtures;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.RunningHub;

/**
 * Two hubs on one database, each with its own data directory, {@code yk.files.store=database} (issue 16): what hub A
 * stored (documents, a reply's files) hub B downloads, resends and attaches; a dashboard session opened on A is used on
 * B with A's CSRF token. Hub A runs the mail server both use (B is configured as against a real one). H2 here (a TCP
 * server for the shared database); the PostgreSQL subclass shares a schema.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedStateClusterTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String TECHNICAL = "结论：同意\n电源点：110kV东郊变 10kV 912东园线\n接入点：912东园线 #23杆 T接\n产权分界点：#23杆刀闸下桩头\n" + Replies.TECHNICAL_DETAILS;
    static final String BUSINESS = "结论：同意\n计量方式：高供高计\n电价类别：大工业用电\n资产移交：否\n业务费用：12800.00\n" + Replies.BUSINESS_DETAILS;
    static final String SECRET = "shared-state-cluster-test-token-secret-0123456789";

    Path dir;
    AutoCloseable databaseServer;
    RunningHub a;
    RunningHub b;
    int brokerA;
    MailClient mail;
    JdbcTemplate jdbc;

    /** The shared database's settings; H2 over TCP here. */
    Map<String, Object> sharedDatabase(Path dir) throws Exception {
        int port = RunningHub.freePort();
        Server server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        databaseServer = server::stop;
        return Map.of("spring.datasource.url", "jdbc:h2:tcp://127.0.0.1:" + port + "/"
                + dir.toAbsolutePath().resolve("shared") + ";LOCK_TIMEOUT=10000");
    }

    @BeforeAll
    void startTwoHubs() throws Exception {
        dir = RunningHub.newDataDir("shared-state");
        Map<String, Object> common = new HashMap<>(sharedDatabase(dir));
        common.put("yk.files.store", "database");
        common.put("yk.mail.token-secret", SECRET); // one secret on every node: a token made by A is checked by B
        common.put("yk.mail.poll-interval", "300ms");
        common.put("yk.mail.relay-interval", "300ms");
        common.put("yk.deadlines.cron", "0 0 0 1 1 ? 2099");
        int smtp = RunningHub.freePort();
        int imap = RunningHub.freePort();
        brokerA = RunningHub.freePort();
        Map<String, Object> onA = new HashMap<>(common);
        onA.put("yk.mail.smtp-port", String.valueOf(smtp));
        onA.put("yk.mail.imap-port", String.valueOf(imap));
        a = RunningHub.start(dir.resolve("a"), brokerA, onA);
        // B uses A's mail server as a hub uses a real one
        Map<String, Object> onB = new HashMap<>(common);
        onB.put("yk.mail.embedded", "false");
        onB.put("yk.mail.smtp-port", String.valueOf(smtp));
        onB.put("yk.mail.imap-port", String.valueOf(imap));
        onB.put("yk.mail.hub-password", "hub@yekuo.local");
        b = RunningHub.start(dir.resolve("b"), RunningHub.freePort(), onB);
        b.bean(CamelContext.class).getRouteController().stopRoute("unit-replies"); // A reads the replies until told
        mail = new MailClient(smtp, imap);
        jdbc = a.jdbc();
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {b, a, databaseServer}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void documents_and_mails_stored_by_hub_a_are_downloaded_resent_released_and_attached_by_hub_b() throws Exception {
        ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        try (BillingClient billing = new BillingClient("tcp://127.0.0.1:" + brokerA)) {
            billing.sendApplication(app.toString());
        }
        await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "select count(*) from yk_case where application_no = ? and stage = 'SCHEME'", Integer.class, applicationNo) == 1);
        String caseNo = jdbc.queryForObject("select case_no from yk_case where application_no = ?", String.class, applicationNo);

        // hub A: the scheme replies read, the supply-scheme reply issued and archived, the design hand-off sent
        mail.send(PRODUCTION, reply(mail, awaitHandoff(mail, PRODUCTION, caseNo, 1), PRODUCTION, TECHNICAL));
        mail.send(MARKETING, reply(mail, awaitHandoff(mail, MARKETING, caseNo, 2), MARKETING, BUSINESS));
        MimeMessage design = awaitHandoff(mail, MailFixtures.CONSTRUCTION, caseNo, 3);
        Map<String, Object> card = document(caseNo, "CONTACT_CARD");
        Map<String, Object> scheme = document(caseNo, "SCHEME_REPLY");
        // ... and a design reply with its files from the wrong unit, quarantined by A (its raw mail kept by A)
        byte[] drawings = new byte[512 * 1024];
        new Random(16).nextBytes(drawings);
        MimeMessage wrongSender = reply(mail, design, PRODUCTION, "结论：完成\n说明：设计文件见附件\n", drawings);
        String wrongId = MailFixtures.messageId(wrongSender);
        mail.send(PRODUCTION, wrongSender);
        long quarantined = await().atMost(WAIT).until(() -> jdbc.queryForList(
                "select id from unit_mail where message_id = ? and outcome = 'QUARANTINED'", Long.class, wrongId),
                l -> !l.isEmpty()).get(0);
        mail.await(MailFixtures.HUB, "Quarantine", MailClient.messageId(wrongId), WAIT);

        // from here hub B alone reads replies and sends mail
        CamelContext camelA = a.bean(CamelContext.class);
        camelA.getRouteController().stopRoute("unit-replies");
        camelA.getRouteController().stopRoute("mail-relay");
        b.bean(CamelContext.class).getRouteController().startRoute("unit-replies");

        // the contact card A issued, downloaded from B's API
        HttpResponse<byte[]> pdf = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base(b) + "/api/cases/" + caseNo + "/documents/" + card.get("ID")))
                .header("Authorization", basic("rep")).header("Accept", "application/pdf").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(sha256(pdf.body())).as("the bytes A archived").isEqualTo(card.get("SHA256"));

        // ... and resent from B: B's relay reads the bytes A stored
        HttpResponse<String> resent = post(b, "/api/cases/" + caseNo + "/actions/resend-document",
                "{\"documentId\":" + card.get("ID") + "}");
        assertThat(resent.statusCode()).as(resent.body()).isEqualTo(200);
        String cardSubject = "【业扩报装】业扩服务联系卡 " + caseNo;
        await().atMost(WAIT).until(() -> mailsWithSubject(cardSubject).size() == 2);
        for (MimeMessage m : mailsWithSubject(cardSubject)) {
            assertThat(attachmentHashes(m).values()).containsExactly((String) card.get("SHA256"));
        }

        // the quarantined design reply released from B (B reads the raw mail A kept, and keeps its files); the review
        // hand-off composed on B carries the supply-scheme reply A archived and the released files
        HttpResponse<String> released = post(b, "/api/cases/" + caseNo + "/actions/release-reply",
                "{\"mailId\":" + quarantined + "}");
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        assertThat(taskStatus(jdbc, caseNo, 3)).isEqualTo("CLOSED");
        MimeMessage review = awaitHandoff(mail, PRODUCTION, caseNo, 4);
        Map<String, String> attached = attachmentHashes(review);
        assertThat(attached).containsEntry("设计图纸-1.pdf", sha256(drawings));
        assertThat(attached.values()).as("the supply-scheme reply A archived").contains((String) scheme.get("SHA256"));

        // B reads the review's answer itself
        mail.send(PRODUCTION, reply(mail, review, PRODUCTION, "结论：同意\n"));
        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 4)));

        // nothing of it on either node's disk: raw mails, reply files and documents are rows of stored_file
        for (String node : List.of("a", "b")) {
            for (String kept : List.of("documents", "mail/raw", "mail/attachments", "mail/outgoing")) {
                assertThat(Files.exists(dir.resolve(node).resolve(kept))).as("%s/%s", node, kept).isFalse();
            }
        }
        assertThat(jdbc.queryForObject("select count(*) from stored_file where path like ?", Integer.class,
                "mail/attachments/" + caseNo + "/%")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from unit_mail u join stored_file f on f.path = u.raw_path"
                + " where u.case_no = ?", Integer.class, caseNo)).as("the four replies kept raw").isEqualTo(4);
    }

    @Test
    void a_dashboard_session_opened_on_hub_a_is_logged_in_on_hub_b_and_a_csrf_token_of_a_is_accepted_there() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String token = csrf(page(browser, base(a) + "/login").body());
        HttpResponse<String> login = browser.send(form(base(a) + "/login", "username=rep&password=rep&_csrf=" + token),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
        String formToken = csrf(page(browser, base(a) + "/").body());

        // the same browser (its session cookie; host cookies ignore the port) now asks hub B
        HttpResponse<String> onB = page(browser, base(b) + "/");
        assertThat(onB.statusCode()).as("logged in on B").isEqualTo(200);
        assertThat(onB.body()).contains("class=\"user\">rep<");

        // a POST without the token is refused on B, with A's token it is accepted (logout ends the shared session)
        assertThat(browser.send(form(base(b) + "/logout", ""), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        HttpResponse<String> out = browser.send(form(base(b) + "/logout", "_csrf=" + formToken), HttpResponse.BodyHandlers.ofString());
        assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/login?logout");
        HttpResponse<String> after = page(browser, base(a) + "/");
        assertThat(after.statusCode()).as("logged out on A too").isEqualTo(302);
    }

    private static HttpResponse<String> post(RunningHub hub, String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base(hub) + path))
                .header("Authorization", basic("rep")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Object> document(String caseNo, String type) {
        return await().atMost(WAIT).until(() -> jdbc.queryForList("""
                select d.id, d.sha256 from case_document d join yk_case c on c.id = d.case_id
                where c.case_no = ? and d.type = ? order by d.id""", caseNo, type), l -> !l.isEmpty()).get(0);
    }

    private List<MimeMessage> mailsWithSubject(String subject) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage m : a.bean(EmbeddedMailServer.class).greenMail().getReceivedMessages()) {
            if (subject.equals(m.getSubject())) {
                found.add(m);
            }
        }
        return found;
    }

    static Map<String, String> attachmentHashes(MimeMessage m) throws Exception {
        Map<String, String> hashes = new HashMap<>();
        collect(m, hashes);
        return hashes;
    }

    private static void collect(Part part, Map<String, String> hashes) throws Exception {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                collect(multipart.getBodyPart(i), hashes);
            }
        } else if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null) {
            try (var in = part.getInputStream()) {
                hashes.put(jakarta.mail.internet.MimeUtility.decodeText(part.getFileName()), sha256(in.readAllBytes()));
            }
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String base(RunningHub hub) {
        return "http://127.0.0.1:" + hub.bean(Environment.class).getProperty("local.server.port");
    }

    static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> page(HttpClient browser, String url) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpRequest form(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF token in the page").isTrue();
        return m.group(1);
    }
}
