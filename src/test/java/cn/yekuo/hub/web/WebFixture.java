package cn.yekuo.hub.web;

import cn.yekuo.hub.support.Replies;

import static cn.yekuo.hub.support.BillingClient.uniqueExample;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.domain.workflow.TaskResult;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CommandResult;
import cn.yekuo.hub.support.BillingClient;

/** Real cases made through billing's JMS queue, and plain HTTP to the running hub (Basic, or a browser session). */
final class WebFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> TECHNICAL = Replies.with(Map.of("SOURCE", "110kV东郊变 10kV东园线",
            "CONNECTION_POINT", "东园线12号杆", "OWNERSHIP_BOUNDARY", "12号杆T接点"), Replies.TECHNICAL_FIELDS);
    static final Map<String, String> BUSINESS = Replies.with(Map.of("METERING", "高供高计", "TARIFF", "大工业用电",
            "ASSET_TRANSFER", "是", "FEES", "0"), Replies.BUSINESS_FIELDS);

    final BillingClient billing;
    final String base;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    WebFixture(String acceptor, int port) {
        this.billing = new BillingClient(acceptor.replaceFirst("\\?.*", ""));
        this.base = "http://127.0.0.1:" + port;
    }

    /** A new-install case, accepted and in SCHEME with its two scheme tasks open. */
    String caseInScheme(Consumer<ObjectNode> edit) {
        return newCase("application-new-install.json", edit, 3);
    }

    String caseInScheme() {
        return caseInScheme(app -> { });
    }

    /** A capacity increase still missing materials (AWAITING_MATERIALS). */
    String caseAwaitingMaterials() {
        return newCase("application-capacity-increase-missing-materials.json", app -> { }, 2);
    }

    String newCase(String example, Consumer<ObjectNode> edit, int statuses) {
        ObjectNode app = uniqueExample(example);
        // submitted now, so that clocks are on time whenever the tests run
        // ISO_OFFSET_DATE_TIME always writes the seconds; OffsetDateTime.toString() drops ":00", which the schema rightly refuses
        app.put("submittedAt", java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                OffsetDateTime.now(java.time.ZoneOffset.ofHours(8)).withNano(0)));
        edit.accept(app);
        billing.sendApplication(app.toString());
        List<JsonNode> status = billing.awaitStatus(app.get("applicationNo").asText(), statuses, WAIT);
        if (status.size() < statuses) {
            throw new AssertionError("the hub answered " + status + " to " + app);
        }
        return status.get(0).get("caseNo").asText();
    }

    /** The units reply until the case is in CONSTRUCTION with T5 (CONSTRUCTION) open. */
    static String toConstruction(CaseProcess process, String caseNo) {
        complete(process, caseNo, 1, TaskResult.APPROVED, TECHNICAL);
        complete(process, caseNo, 2, TaskResult.APPROVED, BUSINESS);
        complete(process, caseNo, 3, TaskResult.DONE, Map.of());
        complete(process, caseNo, 4, TaskResult.APPROVED, Map.of());
        return caseNo;
    }

    /** The units reply until the acceptance has passed: CONTRACT, where the contract can be signed. */
    static String toContract(CaseProcess process, String caseNo) {
        toConstruction(process, caseNo);
        complete(process, caseNo, 5, TaskResult.COMPLETED, Map.of());
        complete(process, caseNo, 6, TaskResult.APPROVED, Map.of());
        complete(process, caseNo, 7, TaskResult.APPROVED, Map.of()); // marketing's part of the joint acceptance
        return caseNo;
    }

    static void complete(CaseProcess process, String caseNo, int task, TaskResult result, Map<String, String> fields) {
        CommandResult r = process.byCaseNo(caseNo, new Command.CompleteTask(OffsetDateTime.now(), Actor.UNIT, task, result, fields),
                CaseProcess.Source.NONE);
        if (!(r instanceof CommandResult.Applied)) {
            throw new AssertionError("T" + task + " of " + caseNo + ": " + r);
        }
    }

    /**
     * The path of the case's status page as the customer's first mail (the contact card) carries it: read from the
     * customer's real mailbox on the test hub's mail server (contract §3, §4.10).
     */
    static String statusPathFromCustomerMail(String customerEmail, String caseNo) {
        cn.yekuo.hub.support.MailClient client = cn.yekuo.hub.support.MailClient.ofTestHub();
        // the customer's mailbox exists on the test mail server once its first mail arrived: until then logins fail
        jakarta.mail.internet.MimeMessage mail = org.awaitility.Awaitility.await("the customer's first mail").atMost(WAIT)
                .ignoreExceptions().pollInterval(Duration.ofMillis(200))
                .until(() -> client.messages(customerEmail, "INBOX", cn.yekuo.hub.support.MailClient.subjectContains(caseNo)),
                        found -> !found.isEmpty()).get(0);
        String text = cn.yekuo.hub.support.MailClient.textOf(mail);
        Matcher link = Pattern.compile("https?://[^/\\s]+(/status/" + Pattern.quote(caseNo) + "\\.[A-Za-z0-9_-]{43})(?=\\s)")
                .matcher(text);
        if (!link.find()) {
            throw new AssertionError("no status link in the customer's mail:\n" + text);
        }
        return link.group(1);
    }

    // ------------------------------------------------------------------ HTTP

    HttpResponse<String> get(String path, String user) {
        return send(request(path, user).GET().build());
    }

    HttpResponse<String> get(String path, String user, String accept) {
        return send(request(path, user).header("Accept", accept).GET().build());
    }

    HttpResponse<String> post(String path, String user, String json) {
        HttpRequest.Builder b = request(path, user);
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b.POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> action(String caseNo, String action, String user, String json) {
        return post("/api/cases/" + caseNo + "/actions/" + action, user, json);
    }

    HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    /** A browser-like session: cookies kept, form login, CSRF token read from the page. */
    final class Browser {
        final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();

        Browser login(String user) {
            String token = csrf(get("/login").body());
            HttpResponse<String> r = form("/login", "username=" + user + "&password=" + user + "&_csrf=" + token);
            if (r.statusCode() != 302 || r.headers().firstValue("Location").orElse("").contains("error")) {
                throw new AssertionError("login failed: " + r.statusCode() + " " + r.headers().map());
            }
            return this;
        }

        HttpResponse<String> get(String path) {
            return call(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
        }

        HttpResponse<String> form(String path, String body) {
            return call(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        }

        private HttpResponse<String> call(HttpRequest request) {
            try {
                // a browser asks for HTML (Spring Security answers it with pages and redirects rather than 401/204)
                request = HttpRequest.newBuilder(request, (name, value) -> true)
                        .header("Accept", "text/html,application/xhtml+xml").build();
                return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF token in the page");
        }
        return m.group(1);
    }

    static String form(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        billing.close();
    }
}
