package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.HubTest;

/** The server-rendered dashboard: search in the body, language toggle, case page, overdue and report, escaping. */
@HubTest
class DashboardTest extends WebTestBase {

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Test
    void markup_in_a_customer_name_shows_as_text_in_the_list_and_the_case_page() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String script = "<script>alert(1)</script>" + tag;
        String img = "<img src=x onerror=alert(1)>" + tag;
        String scriptCase = hub.caseInScheme(app -> ((ObjectNode) app.get("customer")).put("name", script));
        String imgCase = hub.caseInScheme(app -> ((ObjectNode) app.get("customer")).put("name", img));

        WebFixture.Browser rep = hub.new Browser().login("rep");
        String token = WebFixture.csrf(rep.get("/").body());
        String list = rep.form("/search", "q=" + tag + "&_csrf=" + token).body();
        assertThat(list).contains(scriptCase, imgCase)
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;" + tag)
                .contains("&lt;img src=x onerror=alert(1)&gt;" + tag)
                .doesNotContain("<script>alert(1)").doesNotContain("<img src=x");

        for (String caseNo : new String[] {scriptCase, imgCase}) {
            String page = rep.get("/cases/" + caseNo).body();
            assertThat(page).doesNotContain("<script>alert(1)").doesNotContain("<img src=x")
                    .containsAnyOf("&lt;script&gt;alert(1)&lt;/script&gt;" + tag, "&lt;img src=x onerror=alert(1)&gt;" + tag);
        }
        assertThat(rep.get("/cases/" + scriptCase).headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'");
    }

    @Test
    void the_list_tells_the_representatives_how_many_mails_could_not_be_delivered() {
        String id = "dead-test-" + UUID.randomUUID();
        jdbc.update("""
                insert into outbox (channel, message_id, headers, payload, created_at, attempts, last_error, dead_at)
                values ('mail', ?, '{}', '{}', current_timestamp, 1, '550 mailbox unavailable', current_timestamp)""", id);
        try {
            int dead = jdbc.queryForObject("select count(*) from outbox where channel = 'mail' and dead_at is not null", Integer.class);
            WebFixture.Browser rep = hub.new Browser().login("rep");
            assertThat(rep.get("/").body()).contains("id=\"dead-mails\"").contains(dead + " 封邮件无法投递");
            assertThat(rep.get("/?lang=en").body()).contains(dead + " mail(s) could not be delivered");
        } finally {
            jdbc.update("delete from outbox where message_id = ?", id);
        }
    }

    @Test
    void search_by_customer_case_or_application_number_posts_the_term() {
        String name = "搜索测试客户-" + UUID.randomUUID().toString().substring(0, 8);
        String caseNo = hub.caseInScheme(app -> ((ObjectNode) app.get("customer")).put("name", name));
        WebFixture.Browser rep = hub.new Browser().login("rep");
        String home = rep.get("/").body();
        assertThat(home).contains("在办工单").contains("method=\"post\"").contains("action=\"/search\"");
        String token = WebFixture.csrf(home);
        HttpResponse<String> found = rep.form("/search", "q=" + WebFixture.form(name) + "&_csrf=" + token);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.uri().getQuery()).isNull();
        assertThat(found.body()).contains(caseNo).contains(name).contains("供电方案").contains("生产技术部");
        assertThat(rep.form("/search", "q=" + caseNo + "&_csrf=" + token).body()).contains(name);
        assertThat(rep.form("/search", "q=nothing-like-this-" + UUID.randomUUID() + "&_csrf=" + token).body()).contains("没有符合条件的工单");
    }

    @Test
    void the_case_page_shows_timeline_tasks_and_the_running_clock_in_chinese_or_english() {
        String caseNo = hub.caseInScheme();
        WebFixture.Browser rep = hub.new Browser().login("rep");
        String page = rep.get("/cases/" + caseNo).body();
        assertThat(page).contains(caseNo, "杭州东郊新材料有限公司", "办理记录", "供电方案答复", "请提供供电方案(技术部分)", "T1", "T2",
                "正常", "文书", "邮件", "id=\"timeline\"");
        String english = rep.get("/cases/" + caseNo + "?lang=en").body();
        assertThat(english).contains("Timeline", "Scheme reply", "Supply scheme, technical", "On time", "Representative actions");
        assertThat(rep.get("/").body()).as("the choice is kept").contains("Open cases");
        assertThat(rep.get("/?lang=zh_CN").body()).contains("在办工单");
        assertThat(rep.get("/cases/YK-1999-000001").statusCode()).isEqualTo(404);
    }

    @Test
    void an_action_from_the_case_page_reports_success_or_the_workflows_reason() {
        String caseNo = hub.caseInScheme();
        WebFixture.Browser rep = hub.new Browser().login("rep");
        String token = WebFixture.csrf(rep.get("/cases/" + caseNo).body());
        rep.form("/cases/" + caseNo + "/actions/resume", "_csrf=" + token);
        assertThat(rep.get("/cases/" + caseNo).body()).contains("未能执行").contains("is not waiting for the customer");
        rep.form("/cases/" + caseNo + "/actions/pause", "reason=&_csrf=" + token);
        assertThat(rep.get("/cases/" + caseNo).body()).contains("reason: is required");
        rep.form("/cases/" + caseNo + "/actions/pause", "reason=" + WebFixture.form("等客户确认") + "&_csrf=" + token);
        assertThat(rep.get("/cases/" + caseNo).body()).contains("已完成").contains("暂停(等客户)").contains("等客户确认");
    }

    @Test
    void the_stage_filter_overdue_view_and_report_render() {
        hub.caseInScheme();
        WebFixture.Browser viewer = hub.new Browser().login("viewer");
        assertThat(viewer.get("/?stage=SCHEME").body()).contains("供电方案");
        assertThat(viewer.get("/?stage=NOWHERE").statusCode()).isEqualTo(400);
        HttpResponse<String> overdue = viewer.get("/overdue");
        assertThat(overdue.statusCode()).isEqualTo(200);
        assertThat(overdue.body()).contains("超期工单");
        HttpResponse<String> report = viewer.get("/report?month=2026-12");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("月度时限考核", "<svg", "生产技术部", "市场营销部");
        assertThat(viewer.get("/report?month=bad").statusCode()).isEqualTo(400);
    }

    @Test
    void one_clock_every_time_of_the_case_page_is_in_the_business_zone_and_the_timeline_is_in_the_order_things_happened() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        DateTimeFormatter minute = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
        // submitted a week ago (well inside the 15 working days of the scheme clock), fees paid three days ago and
        // reported only now, in UTC: the payment happened after the application and before the hub heard of it
        OffsetDateTime submitted = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusDays(7).withNano(0);
        String caseNo = hub.caseInScheme(app -> app.put("submittedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(submitted)));
        JsonNode issued = await().atMost(WebFixture.WAIT).until(() -> WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer")),
                c -> !c.get("documents").isEmpty() && !c.get("mails").isEmpty());
        OffsetDateTime paid = OffsetDateTime.now(ZoneOffset.UTC).minusDays(3).withNano(0);
        OffsetDateTime reported = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
        hub.billing.sendEvent(WebFixture.JSON.createObjectNode().put("type", "FeesSettled")
                .put("messageId", UUID.randomUUID().toString()).put("applicationNo", issued.get("applicationNo").asText())
                .put("amount", "12800.00").put("paidAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(paid)).toString());
        JsonNode c = await().atMost(WebFixture.WAIT).until(() -> WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer")),
                d -> kinds(d).contains("FEES_SETTLED"));

        // the API: ISO-8601 with the business zone's offset, documents and mails included
        JsonNode doc = c.get("documents").get(0);
        JsonNode fees = entry(c, "FEES_SETTLED");
        assertThat(fees.has("recordedAt")).as("%s", fees).isTrue();
        List<String> apiTimes = new ArrayList<>(List.of(doc.get("createdAt").asText(), fees.get("at").asText(),
                fees.get("recordedAt").asText()));
        c.get("mails").forEach(m -> apiTimes.add(m.get("at").asText()));
        for (String t : apiTimes) {
            assertThat(OffsetDateTime.parse(t).getOffset()).as(t).isEqualTo(ZoneOffset.ofHours(8));
        }
        assertThat(OffsetDateTime.parse(fees.get("at").asText())).as("when it happened: paidAt").isAtSameInstantAs(paid);
        assertThat(OffsetDateTime.parse(fees.get("recordedAt").asText())).as("when the hub recorded it")
                .isAfterOrEqualTo(reported);

        WebFixture.Browser rep = hub.new Browser().login("rep");
        Document page = Jsoup.parse(rep.get("/cases/" + caseNo).body());
        assertThat(page.getElementById("zone").text()).isEqualTo("时间均为 Asia/Shanghai (UTC+08:00)");
        assertThat(page.body().text().split("Asia/Shanghai", -1)).as("the zone is named once").hasSize(2);

        // the same moment, shown identically in the timeline and in the documents and mails panels
        String docTime = local(doc.get("createdAt").asText(), shanghai, minute);
        Element docIssued = page.select("#timeline li").stream()
                .filter(li -> li.text().contains("《" + doc.get("title").asText() + "》"))
                .findFirst().orElseThrow();
        assertThat(docIssued.selectFirst("time").text()).isEqualTo(docTime);
        assertThat(page.getElementById("documents").text()).contains(doc.get("title").asText() + " " + docTime);
        for (int i = 0; i < c.get("mails").size(); i++) {
            assertThat(page.select("#mails tbody tr").get(i).selectFirst("td").text())
                    .isEqualTo(local(c.get("mails").get(i).get("at").asText(), shanghai, minute));
        }

        // the timeline in the order things happened; the back-dated payment at paidAt, its recording on hover
        List<OffsetDateTime> times = new ArrayList<>();
        page.select("#timeline time").forEach(t -> times.add(OffsetDateTime.parse(t.attr("datetime"))));
        assertThat(times).hasSizeGreaterThanOrEqualTo(5).isSorted();
        List<String> entries = page.select("#timeline li").eachText();
        int accepted = indexOf(entries, "ACCEPTED: ");
        int paidEntry = indexOf(entries, "FEES_SETTLED");
        int received = indexOf(entries, "(application received)");
        assertThat(accepted).as("%s", entries).isLessThan(paidEntry);
        assertThat(paidEntry).as("%s", entries).isLessThan(received);
        Element paidTime = page.select("#timeline li").get(paidEntry).selectFirst("time");
        assertThat(paidTime.text()).isEqualTo(paid.atZoneSameInstant(shanghai).format(minute));
        assertThat(paidTime.attr("title")).isEqualTo("录入时间 " + local(fees.get("recordedAt").asText(), shanghai, minute));
        assertThat(page.select("#timeline li").get(received).selectFirst("time").hasAttr("title"))
                .as("what the hub did itself happened when it was recorded").isFalse();

        Document english = Jsoup.parse(rep.get("/cases/" + caseNo + "?lang=en").body());
        assertThat(english.getElementById("zone").text()).isEqualTo("All times Asia/Shanghai (UTC+08:00)");
        assertThat(english.select("#timeline time[title]").eachAttr("title"))
                .contains("recorded " + local(fees.get("recordedAt").asText(), shanghai, minute));
    }

    private static List<String> kinds(JsonNode c) {
        List<String> kinds = new ArrayList<>();
        c.get("timeline").forEach(t -> kinds.add(t.get("kind").asText()));
        return kinds;
    }

    private static JsonNode entry(JsonNode c, String kind) {
        for (JsonNode t : c.get("timeline")) {
            if (kind.equals(t.get("kind").asText())) {
                return t;
            }
        }
        throw new AssertionError("no " + kind + " in " + c.get("timeline"));
    }

    private static String local(String iso, ZoneId zone, DateTimeFormatter format) {
        return OffsetDateTime.parse(iso).atZoneSameInstant(zone).format(format);
    }

    private static int indexOf(List<String> entries, String text) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no entry with " + text + " in " + entries);
    }
}
