package cn.yekuo.hub.ops;

import static cn.yekuo.hub.replies.MailFixtures.HUB;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.yaml.snakeyaml.Yaml;

import cn.yekuo.hub.replies.MailFixtures;
import cn.yekuo.hub.replies.grammar.RejectionCode;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.Replies;
import cn.yekuo.hub.support.RepClient;
import cn.yekuo.hub.support.TestPorts;

/**
 * The business counters count what really happened (an application taken in, one rejected, a reply applied, a mail
 * quarantined), read from {@code /actuator/prometheus}; and deploy/prometheus' alert rules and deploy/grafana's
 * dashboard use only metrics the hub exports, checked against that same text (and by {@code promtool} where it is
 * installed; {@code YK_TEST_REQUIRE_PROMTOOL=true}, set by .ci/run, makes its absence a failure); the Prometheus console
 * of deploy/prometheus/consoles shows the dashboard's panels with the very same expressions.
 */
@HubTest
class MonitoringTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ALERTS = Path.of("deploy/prometheus/alerts.yml");
    private static final Path PROMETHEUS = Path.of("deploy/prometheus/prometheus.yml");
    private static final Path DASHBOARD = Path.of("deploy/grafana/dashboards/yekuo-hub.json");
    private static final Path CONSOLE = Path.of("deploy/prometheus/consoles/yekuo-hub.html");
    /** The console names each expression once, as a Go template variable holding a raw string. */
    private static final Pattern CONSOLE_EXPRESSION = Pattern.compile("\\{\\{-?\\s*\\$\\w+\\s*:=\\s*`([^`]*)`\\s*-?}}");
    /** Series Prometheus makes itself for each target, not the hub. */
    private static final Set<String> SCRAPE_SERIES = Set.of("up");

    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    @Test
    void the_counters_count_intake_rejections_replies_and_quarantine() throws Exception {
        Map<String, Double> before = scrape();
        MailClient mail = MailClient.ofTestHub();
        try (BillingClient billing = new BillingClient(TestPorts.BROKER_URL)) {
            String caseNo = MailFixtures.newCase(billing, jdbc)[1];
            billing.sendApplication("{\"type\": \"ApplicationSubmitted\", not json");
            MimeMessage t1 = awaitHandoff(mail, PRODUCTION, caseNo, 1);
            mail.send(PRODUCTION, reply(mail, t1, PRODUCTION, "结论：同意\n电源点：110kV东郊变 10kV 912东园线\n"
                    + "接入点：912东园线 #23杆 T接\n产权分界点：912东园线 #23杆 T接点刀闸下桩头\n" + Replies.TECHNICAL_DETAILS));
            await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));
        }
        MimeMessage stray = mail.textMail(PRODUCTION, HUB, "关于贵司的来函", "请见附件");
        long quarantined = MailFixtures.quarantined(mail, jdbc, PRODUCTION, stray);
        String reason = JSON.readTree(jdbc.queryForObject("select reasons from unit_mail where id = ?", String.class,
                quarantined)).get(0).get("code").asText();

        Map<String, Long> expected = Map.of(
                "yk_applications_received_total", 1L,
                "yk_applications_rejected_total{code=\"MALFORMED_JSON\"}", 1L,
                "yk_dead_letters_total{queue=\"yk.billing.applications\"}", 1L,
                "yk_replies_processed_total{unit=\"production\"}", 1L,
                "yk_replies_quarantined_total{reason=\"" + reason + "\"}", 1L);
        // counted after each commit: the last may land a moment after the test saw the database
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Double> after = scrape();
            expected.forEach((series, n) -> assertThat(after.getOrDefault(series, -1.0) - before.getOrDefault(series, 0.0))
                    .as(series).isGreaterThanOrEqualTo(n));
        });
        Map<String, Double> after = scrape();
        assertThat(after).as("every known series exists from the start")
                .containsKeys("yk_nodes_missed_total{node=\"SCHEME_REPLY\",unit=\"production\"}",
                        "yk_nodes_completed_total{node=\"SCHEME_REPLY\",on_time=\"true\",unit=\"production\"}",
                        "yk_replies_quarantined_total{reason=\"" + RejectionCode.FORGED_TOKEN + "\"}",
                        "yk_dead_letters_total{queue=\"yk.billing.events\"}");
        assertThat(after.get("yk_mail_up")).as("the embedded mail server answers").isEqualTo(1.0);
    }

    @Test
    void the_alerts_and_the_dashboard_use_only_metrics_the_hub_exports() throws Exception {
        List<String> queries = queries();
        assertThat(queries).hasSizeGreaterThan(10);
        Set<String> exported = new TreeSet<>();
        scrape().keySet().forEach(series -> exported.add(series.replaceAll("\\{.*", "")));
        Set<String> used = new TreeSet<>();
        queries.forEach(q -> used.addAll(metricNames(q)));
        assertThat(used).as("metrics named by the alerts, the dashboard and the console")
                .contains("yk_dead_letters_total", "yk_outbox_pending", "yk_mail_up", "yk_nodes_overdue",
                        "yk_nodes_completed_total", "yk_cases_open", "yk_applications_received_total",
                        "yk_replies_processed_total", "yk_replies_quarantined_total", "yk_mails_quarantined");
        used.removeAll(SCRAPE_SERIES);
        assertThat(exported).as("/actuator/prometheus").containsAll(used);
    }

    @Test
    void the_console_shows_the_dashboards_panels_with_the_same_expressions() throws Exception {
        String console = Files.readString(CONSOLE);
        assertThat(consoleQueries()).as("the console's expressions").containsExactlyInAnyOrderElementsOf(dashboardQueries());
        // every query and graph goes through those variables: no second, unchecked copy of an expression
        assertThat(console).doesNotContainPattern("query\\s+\"").doesNotContainPattern("expr:\\s*\\[?\\s*[\"']");
        for (JsonNode panel : JSON.readTree(DASHBOARD.toFile()).get("panels")) {
            assertThat(console).as("panel title").contains("<h2>" + panel.get("title").asText() + "</h2>");
        }
    }

    @Test
    void promtool_accepts_the_configuration_the_rules_and_the_dashboards_queries() throws Exception {
        boolean required = "true".equals(System.getenv("YK_TEST_REQUIRE_PROMTOOL"));
        boolean present = Files.isExecutable(Path.of("/usr/bin/promtool")) || onPath("promtool");
        if (!required) {
            Assumptions.assumeTrue(present, "promtool is not installed (Debian: apt-get install prometheus)");
        }
        assertThat(present).as("promtool (YK_TEST_REQUIRE_PROMTOOL=true)").isTrue();
        assertThat(promtool("check", "rules", ALERTS.toString())).contains("SUCCESS");
        assertThat(promtool("check", "config", "--syntax-only", PROMETHEUS.toString())).contains("SUCCESS");
        // the dashboard's queries as recording rules: promtool parses each PromQL expression
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (String q : dashboardQueries()) {
            rules.append("      - record: dashboard_query_").append(i++).append("\n        expr: ")
                    .append(JSON.writeValueAsString(q)).append('\n');
        }
        Path file = Files.createTempFile("yk-dashboard-rules", ".yml");
        try {
            Files.writeString(file, rules);
            assertThat(promtool("check", "rules", file.toString())).contains("SUCCESS: " + i + " rules found");
        } finally {
            Files.delete(file);
        }
    }

    /** Every series of the scrape with its value, e.g. {@code yk_cases_open{stage="SCHEME"}} → 3.0. */
    private Map<String, Double> scrape() {
        RepClient viewer = new RepClient(port, "viewer", "viewer");
        String text = viewer.get("/actuator/prometheus", "text/plain").body();
        Map<String, Double> series = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return series;
    }

    private static List<String> queries() throws IOException {
        List<String> queries = new ArrayList<>(alertQueries());
        queries.addAll(dashboardQueries());
        queries.addAll(consoleQueries());
        return queries;
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertQueries() throws IOException {
        try (InputStream in = Files.newInputStream(ALERTS)) {
            Map<String, Object> doc = new Yaml().load(in);
            List<String> exprs = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    exprs.add(String.valueOf(rule.get("expr")));
                }
            }
            return exprs;
        }
    }

    private static List<String> dashboardQueries() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.get("expr").asText());
            }
        }
        return exprs;
    }

    private static List<String> consoleQueries() throws IOException {
        List<String> exprs = new ArrayList<>();
        Matcher m = CONSOLE_EXPRESSION.matcher(Files.readString(CONSOLE));
        while (m.find()) {
            exprs.add(m.group(1));
        }
        return exprs;
    }

    private static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar",
            "topk", "bottomk", "quantile", "count_values", "group", "by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "rate", "irate", "increase", "delta", "idelta",
            "deriv", "predict_linear", "abs", "absent", "clamp_min", "clamp_max", "histogram_quantile", "label_replace",
            "vector", "scalar", "time", "changes", "resets", "sum_over_time", "avg_over_time", "max_over_time",
            "min_over_time", "inf", "nan");

    /** The metric names of a PromQL expression: identifiers less label matchers, grouping labels, ranges, words. */
    static Set<String> metricNames(String promql) {
        String q = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // strings
                .replaceAll("\\{[^}]*}", "") // label matchers
                .replaceAll("\\[[^]]*]", "") // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", ""); // label lists
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(q);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group()) && !(m.start() > 0 && Character.isDigit(q.charAt(m.start() - 1)))) {
                names.add(m.group());
            }
        }
        return names;
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
