package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.core.env.Environment;

import cn.yekuo.hub.assessment.AssessmentReports;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.domain.workflow.TaskResult;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CommandResult;
import cn.yekuo.hub.support.MutableClock;
import cn.yekuo.hub.support.RunningHub;

/**
 * The agenda (/agenda, /api/agenda) and the on-time trend (/report, /api/reports/trend) on a hub of their own with a
 * settable clock: cases opened on chosen days of 2026 (the shipped calendar: 调休 Sunday 2026-09-20, 中秋 2026-09-25..27,
 * 国庆 from 2026-10-01; 劳动节 2026-05-01..05 and the 调休 Saturday 2026-05-09; 清明 2026-04-04..06), clocks completed on
 * chosen days through the workflow. Each test sets the clock to the day it needs, so they run in any order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgendaAndTrendTest {

    static final String NEVER = "0 0 0 1 1 ? 2099";

    RunningHub running;
    int broker;
    WebFixture hub;

    @BeforeAll
    void start() {
        broker = RunningHub.freePort();
        Map<String, Object> props = new HashMap<>(database());
        props.put("yk.test.clock", "mutable");
        props.put("yk.test.clock-start", "2026-01-05T09:00:00+08:00");
        props.put("yk.deadlines.cron", NEVER);
        props.put("yk.monthly.plan-cron", NEVER);
        props.put("yk.monthly.assessment-cron", NEVER);
        props.put("yk.monthly.check-cron", NEVER);
        running = RunningHub.start(RunningHub.newDataDir("agenda"), broker, props);
        int port = Integer.parseInt(running.bean(Environment.class).getProperty("local.server.port"));
        hub = new WebFixture("tcp://127.0.0.1:" + broker, port);
    }

    /** The hub's own H2 file database; the PostgreSQL subclass overrides. */
    Map<String, Object> database() {
        return Map.of();
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.close();
        }
        if (running != null) {
            running.close();
        }
    }

    // ------------------------------------------------------------------ agenda

    @Test
    void the_agenda_lists_each_running_clock_under_its_due_day_with_the_calendar_marked_and_filters_by_unit() throws Exception {
        // A, opened Tue 2026-09-01: 15 working days of scheme reply, the 调休 Sunday 09-20 counted -> due Mon 09-21
        String a = caseOpenedAt("2026-09-01T10:00", "日程测试甲公司");
        // B, opened Thu 2026-08-20: due Thu 09-10, overdue on the 18th; marketing has replied, production still owes
        String b = caseOpenedAt("2026-08-20T10:00", "日程测试乙公司");
        complete(b, 2, "2026-08-25T10:00", TaskResult.APPROVED, WebFixture.BUSINESS);
        assertThat(dueOf(a)).isEqualTo(OffsetDateTime.parse("2026-09-21T23:59:59+08:00"));
        assertThat(dueOf(b)).isEqualTo(OffsetDateTime.parse("2026-09-10T23:59:59+08:00"));

        clock().set(at("2026-09-18T09:00")); // Friday; the 14 days run to Thu 2026-10-01
        JsonNode agenda = WebFixture.json(hub.get("/api/agenda", "viewer"));
        assertThat(agenda.get("today").asText()).isEqualTo("2026-09-18");
        assertThat(agenda.get("zone").asText()).isEqualTo("Asia/Shanghai");
        JsonNode days = agenda.get("days");
        assertThat(days).hasSize(14);
        assertThat(days.get(0).get("date").asText()).isEqualTo("2026-09-18");
        assertThat(days.get(13).get("date").asText()).isEqualTo("2026-10-01");
        assertThat(day(days, "2026-09-18").get("kind").asText()).isEqualTo("WORKDAY");
        assertThat(day(days, "2026-09-19").get("kind").asText()).isEqualTo("WEEKEND");
        assertThat(day(days, "2026-09-20").get("kind").asText()).isEqualTo("MAKEUP_WORKDAY");
        assertThat(day(days, "2026-09-20").get("workingDay").asBoolean()).isTrue();
        assertThat(day(days, "2026-09-20").get("weekday").asText()).isEqualTo("SUNDAY");
        for (String holiday : List.of("2026-09-25", "2026-09-26", "2026-09-27", "2026-10-01")) {
            assertThat(day(days, holiday).get("kind").asText()).as(holiday).isEqualTo("HOLIDAY");
            assertThat(day(days, holiday).get("workingDay").asBoolean()).as(holiday).isFalse();
        }
        assertThat(caseNos(day(days, "2026-09-21").get("clocks"))).contains(a).doesNotContain(b);
        JsonNode clockA = byCase(day(days, "2026-09-21").get("clocks"), a);
        assertThat(clockA.get("node").asText()).isEqualTo("SCHEME_REPLY");
        assertThat(clockA.get("units")).extracting(JsonNode::asText).containsExactly("production", "marketing");
        assertThat(clockA.get("dueAt").asText()).isEqualTo("2026-09-21T23:59:59+08:00");
        assertThat(clockA.get("tasks")).extracting(t -> t.get("no").asInt()).containsExactly(1, 2);
        // overdue first, apart, and on no day
        assertThat(caseNos(agenda.get("overdue"))).contains(b).doesNotContain(a);
        assertThat(byCase(agenda.get("overdue"), b).get("units")).extracting(JsonNode::asText).containsExactly("production");
        assertThat(byCase(agenda.get("overdue"), b).get("dueStatus").asText()).isEqualTo("OVERDUE");
        for (JsonNode d : days) {
            assertThat(caseNos(d.get("clocks"))).as(d.get("date").asText()).doesNotContain(b);
        }

        // unit filter: marketing still owes A's answer, not B's; the construction company owes neither
        JsonNode marketing = WebFixture.json(hub.get("/api/agenda?unit=marketing", "viewer"));
        assertThat(allClocks(marketing)).extracting(c -> c.get("caseNo").asText()).contains(a).doesNotContain(b);
        assertThat(allClocks(marketing)).allSatisfy(c -> assertThat(c.get("units").toString()).contains("\"marketing\""));
        JsonNode production = WebFixture.json(hub.get("/api/agenda?unit=production", "viewer"));
        assertThat(allClocks(production)).extracting(c -> c.get("caseNo").asText()).contains(a, b);
        assertThat(allClocks(WebFixture.json(hub.get("/api/agenda?unit=construction", "viewer"))))
                .extracting(c -> c.get("caseNo").asText()).doesNotContain(a, b);
        assertThat(WebFixture.json(hub.get("/api/agenda?days=3", "rep")).get("days")).hasSize(3);
        HttpResponse<String> bad = hub.get("/api/agenda?unit=nobody", "viewer");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(WebFixture.json(bad).get("field").asText()).isEqualTo("unit");
        assertThat(WebFixture.json(hub.get("/api/agenda?days=0", "viewer")).get("field").asText()).isEqualTo("days");

        // the page: Chinese by default, the days marked, the clocks under their day linked to their case
        WebFixture.Browser viewer = hub.new Browser().login("viewer");
        Document page = Jsoup.parse(viewer.get("/agenda").body());
        assertThat(page.select("header nav a[href=/agenda]").hasClass("on")).isTrue();
        assertThat(page.select("section.day")).hasSize(14);
        Element holiday = page.getElementById("day-2026-09-25");
        assertThat(holiday.hasClass("day-holiday")).isTrue();
        assertThat(holiday.select(".daykind").text()).isEqualTo("节假日");
        assertThat(holiday.select(".weekday").text()).isEqualTo("星期五");
        assertThat(page.getElementById("day-2026-09-20").select(".daykind").text()).isEqualTo("调休上班");
        assertThat(page.getElementById("day-2026-09-19").select(".daykind").text()).isEqualTo("周末");
        assertThat(page.getElementById("day-2026-09-18").select(".pill.today").text()).isEqualTo("今天");
        Element rowA = page.getElementById("day-2026-09-21").selectFirst("tr[data-case=" + a + "]");
        assertThat(rowA).isNotNull();
        assertThat(rowA.selectFirst("a.case-link").attr("href")).isEqualTo("/cases/" + a);
        assertThat(rowA.select("td.units").text()).isEqualTo("生产技术部、市场营销部");
        assertThat(rowA.select("td.due time").text()).isEqualTo("2026-09-21 23:59");
        assertThat(rowA.select("td.node").text()).isEqualTo("供电方案答复");
        assertThat(page.getElementById("overdue-clocks").selectFirst("tr[data-case=" + b + "]")).isNotNull();
        assertThat(page.select("section.day tr[data-case=" + b + "]")).isEmpty();
        assertThat(page.getElementById("zone").text()).contains("Asia/Shanghai (UTC+08:00)");

        Document filtered = Jsoup.parse(viewer.get("/agenda?unit=marketing").body());
        assertThat(filtered.select("#unit option[selected]").attr("value")).isEqualTo("marketing");
        assertThat(filtered.select("tr[data-case=" + a + "]")).hasSize(1);
        assertThat(filtered.select("tr[data-case=" + b + "]")).isEmpty();
        assertThat(viewer.get("/agenda?unit=nobody").statusCode()).isEqualTo(400);

        Document english = Jsoup.parse(viewer.get("/agenda?lang=en").body());
        assertThat(english.getElementById("day-2026-09-25").select(".daykind").text()).isEqualTo("Public holiday");
        assertThat(english.getElementById("day-2026-09-20").select(".daykind").text()).isEqualTo("Make-up working day");
        assertThat(english.getElementById("day-2026-09-25").select(".weekday").text()).isEqualTo("Friday");
        assertThat(english.getElementById("overdue-clocks").select("h2").text()).startsWith("Overdue");
        viewer.get("/?lang=zh_CN");

        pictures("agenda-holidays", "/agenda?lang=zh_CN", "agenda-holidays-en", "/agenda?lang=en");
    }

    @Test
    void the_agenda_filters_by_the_case_s_representative_and_a_case_without_one_is_the_roster_s_first_s() throws Exception {
        String east = caseOpenedAt("2026-10-12T10:00", "代表筛选东郊公司", "dongjiao");
        String west = caseOpenedAt("2026-10-12T10:00", "代表筛选西郊公司", "xijiao");
        clock().set(at("2026-10-26T09:00")); // both scheme replies due 2026-11-02, inside the 14 days
        assertThat(agendaCases("/api/agenda?rep=lihua")).contains(west).doesNotContain(east);
        JsonNode wangmin = WebFixture.json(hub.get("/api/agenda?rep=wangmin", "viewer"));
        assertThat(wangmin.get("representative").asText()).isEqualTo("wangmin");
        assertThat(allClocks(wangmin).stream().map(c -> c.get("caseNo").asText()).toList()).contains(east).doesNotContain(west);
        assertThat(agendaCases("/api/agenda?rep=lihua&unit=marketing")).contains(west);

        // a case opened before the roster (no representative) is the first representative's, as everywhere in the hub
        running.jdbc().update("update yk_case set representative_id = null where case_no = ?", east);
        assertThat(agendaCases("/api/agenda?rep=wangmin")).contains(east);
        assertThat(agendaCases("/api/agenda?rep=lihua")).doesNotContain(east);

        HttpResponse<String> bad = hub.get("/api/agenda?rep=nobody", "viewer");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(WebFixture.json(bad).get("field").asText()).isEqualTo("rep");

        WebFixture.Browser viewer = hub.new Browser().login("viewer");
        Document page = Jsoup.parse(viewer.get("/agenda?rep=lihua").body());
        assertThat(page.select("#rep option[selected]").attr("value")).isEqualTo("lihua");
        assertThat(page.select("#rep option").eachText()).contains("王敏", "李华");
        assertThat(page.select("tr[data-case=" + west + "]")).hasSize(1);
        assertThat(page.select("tr[data-case=" + east + "]")).isEmpty();
        assertThat(viewer.get("/agenda?rep=nobody").statusCode()).isEqualTo(400);
    }

    @Test
    void the_agenda_and_the_trend_need_a_login() {
        assertThat(hub.get("/api/agenda", null).statusCode()).isEqualTo(401);
        assertThat(hub.get("/api/reports/trend", null).statusCode()).isEqualTo(401);
        assertThat(hub.get("/api/agenda", "nobody").statusCode()).isEqualTo(401);
        HttpResponse<String> page = hub.new Browser().get("/agenda");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        assertThat(hub.new Browser().get("/report").headers().firstValue("Location").orElseThrow()).endsWith("/login");
        assertThat(hub.get("/api/agenda", "rep").statusCode()).isEqualTo(200);
        assertThat(hub.get("/api/reports/trend", "rep").statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ trend

    /**
     * Four cases through the first half of 2026:
     * X opened Mon 03-02 (scheme due 03-23), scheme answered 03-10 (on time, March); design done 03-11, review due 03-25
     *   (10 working days), approved 04-08 (late, April);
     * Y opened 03-02, scheme answered 04-01 (late, April);
     * Z opened Wed 05-06 (scheme due 05-26, the 调休 Saturday 05-09 counted), answered 05-07 (on time, May);
     * W opened 05-06, never answered: still running, overdue since 05-26 (not in a rate; overdue-open in May).
     */
    @Test
    void the_trend_counts_on_time_and_completed_clocks_per_unit_and_node_per_month() throws Exception {
        String x = caseOpenedAt("2026-03-02T09:00", "趋势测试X");
        String y = caseOpenedAt("2026-03-02T09:30", "趋势测试Y");
        complete(x, 1, "2026-03-10T10:00", TaskResult.APPROVED, WebFixture.TECHNICAL);
        complete(x, 2, "2026-03-10T11:00", TaskResult.APPROVED, WebFixture.BUSINESS);
        complete(x, 3, "2026-03-11T10:00", TaskResult.DONE, Map.of());
        complete(y, 1, "2026-04-01T10:00", TaskResult.APPROVED, WebFixture.TECHNICAL);
        complete(y, 2, "2026-04-01T11:00", TaskResult.APPROVED, WebFixture.BUSINESS);
        complete(x, 4, "2026-04-08T10:00", TaskResult.APPROVED, Map.of());
        String z = caseOpenedAt("2026-05-06T09:00", "趋势测试Z");
        String w = caseOpenedAt("2026-05-06T09:30", "趋势测试W");
        assertThat(dueOf(z)).isEqualTo(OffsetDateTime.parse("2026-05-26T23:59:59+08:00"));
        assertThat(dueOf(w)).isEqualTo(OffsetDateTime.parse("2026-05-26T23:59:59+08:00"));
        complete(z, 1, "2026-05-07T10:00", TaskResult.APPROVED, WebFixture.TECHNICAL);
        complete(z, 2, "2026-05-07T11:00", TaskResult.APPROVED, WebFixture.BUSINESS);
        clock().set(at("2026-06-15T09:00"));

        JsonNode trend = WebFixture.json(hub.get("/api/reports/trend?months=12", "viewer"));
        assertThat(trend.get("from").asText()).isEqualTo("2025-07");
        assertThat(trend.get("to").asText()).isEqualTo("2026-06");
        assertThat(trend.get("months")).hasSize(12);
        // unit -> month -> {completed, on time, overdue open}; every other month and unit: nothing
        Map<String, Map<String, int[]>> units = Map.of(
                "production", Map.of("2026-03", new int[] {1, 1, 0}, "2026-04", new int[] {2, 0, 0}, "2026-05", new int[] {1, 1, 1}),
                "marketing", Map.of("2026-03", new int[] {1, 1, 0}, "2026-04", new int[] {1, 0, 0}, "2026-05", new int[] {1, 1, 1}));
        Map<String, Map<String, int[]>> nodes = Map.of(
                "SCHEME_REPLY", Map.of("2026-03", new int[] {1, 1, 0}, "2026-04", new int[] {1, 0, 0}, "2026-05", new int[] {1, 1, 1}),
                "DESIGN_REVIEW", Map.of("2026-04", new int[] {1, 0, 0}));
        assertSeries(trend.get("units"), units, List.of("production", "marketing", "construction", "customer-center"));
        assertSeries(trend.get("nodes"), nodes, List.of("SCHEME_REPLY", "DESIGN_REVIEW", "MID_INSPECTION",
                "COMPLETION_ACCEPTANCE", "ENERGIZATION"));
        // per representative, in roster order: every case here is dongjiao's, so 王敏's — each clock once, as per node
        assertSeries(trend.get("representatives"), Map.of("wangmin", Map.of("2026-03", new int[] {1, 1, 0},
                "2026-04", new int[] {2, 0, 0}, "2026-05", new int[] {1, 1, 1})), List.of("wangmin", "lihua"));
        assertThat(trend.get("representatives").get(0).get("name").asText()).isEqualTo("王敏");
        assertThat(point(trend.get("units"), "production", "2026-04").get("onTimeRate").asDouble()).isEqualTo(0.0);
        assertThat(point(trend.get("units"), "production", "2026-03").get("onTimeRate").asDouble()).isEqualTo(1.0);
        assertThat(point(trend.get("units"), "production", "2026-02").get("onTimeRate").isNull()).isTrue();

        // the same count as the monthly assessment's rate of each month
        AssessmentReports reports = running.bean(AssessmentReports.class);
        for (String month : List.of("2026-03", "2026-04", "2026-05")) {
            AssessmentReports.Report r = reports.compute(YearMonth.parse(month));
            for (AssessmentReports.UnitLine line : r.units()) {
                JsonNode p = point(trend.get("units"), line.unit(), month);
                assertThat(p.get("completed").asInt()).as(line.unit() + " " + month).isEqualTo(line.completed());
                assertThat(p.get("onTime").asInt()).as(line.unit() + " " + month).isEqualTo(line.onTime());
            }
            for (AssessmentReports.NodeLine line : r.nodes()) {
                assertThat(point(trend.get("nodes"), line.node(), month).get("completed").asInt()).isEqualTo(line.completed());
            }
        }
        // to= moves the window; months= sizes it
        JsonNode spring = WebFixture.json(hub.get("/api/reports/trend?months=2&to=2026-04", "viewer"));
        assertThat(spring.get("months")).extracting(JsonNode::asText).containsExactly("2026-03", "2026-04");
        assertThat(WebFixture.json(hub.get("/api/reports/trend?months=0", "viewer")).get("field").asText()).isEqualTo("months");
        assertThat(WebFixture.json(hub.get("/api/reports/trend?to=2026-13", "viewer")).get("field").asText()).isEqualTo("to");

        // CSV: by Accept and by format=csv, the same rows
        HttpResponse<String> csv = hub.get("/api/reports/trend?months=12", "viewer", "text/csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(hub.get("/api/reports/trend?months=12&format=csv", "viewer").body()).isEqualTo(csv.body());
        List<CSVRecord> records;
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(csv.body().substring(1)))) { // after the byte order mark
            assertThat(parser.getHeaderNames()).containsExactly("group", "key", "name", "month", "completed", "on_time", "late",
                    "on_time_rate", "overdue_open");
            records = parser.getRecords();
        }
        assertThat(csv.body()).startsWith("\uFEFF");
        assertThat(records).hasSize((4 + 5 + 2) * 12); // units, nodes, representatives
        CSVRecord prodApril = records.stream().filter(r -> r.get("group").equals("unit") && r.get("key").equals("production")
                && r.get("month").equals("2026-04")).findFirst().orElseThrow();
        assertThat(List.of(prodApril.get("name"), prodApril.get("completed"), prodApril.get("on_time"), prodApril.get("late"),
                prodApril.get("on_time_rate"), prodApril.get("overdue_open"))).containsExactly("生产技术部", "2", "0", "2", "0.0000", "0");
        CSVRecord schemeMay = records.stream().filter(r -> r.get("group").equals("node") && r.get("key").equals("SCHEME_REPLY")
                && r.get("month").equals("2026-05")).findFirst().orElseThrow();
        assertThat(List.of(schemeMay.get("completed"), schemeMay.get("on_time"), schemeMay.get("on_time_rate"), schemeMay.get("overdue_open")))
                .containsExactly("1", "1", "1.0000", "1");
        CSVRecord empty = records.stream().filter(r -> r.get("key").equals("ENERGIZATION") && r.get("month").equals("2026-01"))
                .findFirst().orElseThrow();
        assertThat(empty.get("on_time_rate")).isEmpty();

        // the report page: two charts (role=img, named), their data tables with the same figures, the definition
        WebFixture.Browser rep = hub.new Browser().login("rep");
        Document page = Jsoup.parse(rep.get("/report?month=2026-06").body());
        Element chart = page.getElementById("trend-units");
        assertThat(chart.tagName()).isEqualTo("svg");
        assertThat(chart.attr("role")).isEqualTo("img");
        assertThat(chart.attr("aria-labelledby")).isEqualTo("trend-units-title trend-units-desc");
        assertThat(page.getElementById("trend-units-title").text()).isEqualTo("各单位按期率（2025-07 至 2026-06）");
        assertThat(page.getElementById("trend-nodes-title").text()).isEqualTo("各时限节点按期率（2025-07 至 2026-06）");
        assertThat(page.getElementById("trend-representatives-title").text()).isEqualTo("各客户代表所办工单按期率（2025-07 至 2026-06）");
        assertThat(page.getElementById("trend-representatives-table").select("tr[data-key=wangmin] td[data-month=2026-04]").text())
                .isEqualTo("0.0% (0/2)");
        assertThat(page.getElementById("trend-representatives-table").select("tr[data-key=wangmin] th").text()).isEqualTo("王敏");
        assertThat(chart.select("g.series[data-key=production] circle")).hasSize(3);
        assertThat(chart.select("g.series[data-key=production] circle title").eachText())
                .containsExactly("生产技术部 2026-03: 100.0% (1/1)", "生产技术部 2026-04: 0.0% (0/2)", "生产技术部 2026-05: 100.0% (1/1)");
        assertThat(chart.select("g.series[data-key=construction] circle")).isEmpty();
        Element table = page.getElementById("trend-units-table");
        assertThat(table.select("tr[data-key=production] td[data-month=2026-04]").text()).isEqualTo("0.0% (0/2)");
        assertThat(table.select("tr[data-key=production] td[data-month=2026-05]").text()).isEqualTo("100.0% (1/1) 超期未完 1");
        assertThat(table.select("tr[data-key=production] td[data-month=2026-02]").text()).isEqualTo("—");
        assertThat(page.getElementById("trend-nodes-table").select("tr[data-key=DESIGN_REVIEW] td[data-month=2026-04]").text())
                .isEqualTo("0.0% (0/1)");
        assertThat(page.getElementById("trend-definition").text()).contains("按期率 = 当月完成且无超期天数的时限 ÷ 当月完成的时限");
        assertThat(page.getElementById("trend-csv").attr("href")).isEqualTo("/api/reports/trend?months=12&to=2026-06&format=csv");
        Document english = Jsoup.parse(rep.get("/report?month=2026-06&lang=en").body());
        assertThat(english.getElementById("trend-units-title").text()).isEqualTo("On-time rate by unit (2025-07 to 2026-06)");
        assertThat(english.getElementById("trend-representatives-title").text())
                .isEqualTo("On-time rate of each representative's cases (2025-07 to 2026-06)");
        assertThat(english.select("#trend-units g.series[data-key=production] circle title").eachText())
                .contains("Production Technology 2026-04: 0.0% (0/2)");
        rep.get("/?lang=zh_CN");

        pictures("report-trend-history", "/report?month=2026-06&lang=zh_CN", "report-trend-history-en", "/report?month=2026-06&lang=en");
    }

    /** Screenshots in headless Chromium (target/screenshots/), where it is installed: name, path, name, path… */
    void pictures(String... namesAndPaths) throws Exception {
        if (!HeadlessChromium.available()) {
            return; // the browser test proper (DashboardBrowserTest) is skipped with its message
        }
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            chromium.login(hub.base, "viewer");
            for (int i = 0; i < namesAndPaths.length; i += 2) {
                chromium.browser.get(hub.base + namesAndPaths[i + 1]);
                chromium.waitFor(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(
                        org.openqa.selenium.By.tagName("main")));
                assertThat(java.nio.file.Files.size(chromium.screenshot(namesAndPaths[i]))).isPositive();
            }
            chromium.browser.get(hub.base + "/?lang=zh_CN");
        }
    }

    // ------------------------------------------------------------------ helpers

    MutableClock clock() {
        return running.bean(MutableClock.class);
    }

    static OffsetDateTime at(String shanghai) {
        return OffsetDateTime.parse(shanghai + ":00+08:00");
    }

    /** A new-install case submitted (and accepted) at the given Shanghai time, in SCHEME. */
    String caseOpenedAt(String shanghai, String customer) {
        return caseOpenedAt(shanghai, customer, "dongjiao");
    }

    /** A case of the station's area: its representative is the roster's for the station (dongjiao 王敏, xijiao 李华). */
    String caseOpenedAt(String shanghai, String customer, String station) {
        clock().set(at(shanghai));
        return hub.newCase("application-new-install.json", app -> {
            app.put("submittedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at(shanghai)));
            ((ObjectNode) app.get("customer")).put("name", customer);
            ((ObjectNode) app.get("site")).put("supplyStation", station);
        }, 3);
    }

    void complete(String caseNo, int task, String shanghai, TaskResult result, Map<String, String> fields) {
        clock().set(at(shanghai));
        CommandResult r = running.bean(CaseProcess.class).byCaseNo(caseNo,
                new Command.CompleteTask(at(shanghai), Actor.UNIT, task, result, fields), CaseProcess.Source.NONE);
        assertThat(r).as(caseNo + " T" + task).isInstanceOf(CommandResult.Applied.class);
    }

    /** The due time of the case's running clock, as stored. */
    OffsetDateTime dueOf(String caseNo) {
        return running.jdbc().queryForObject("""
                select n.due_at from case_node n join yk_case c on c.id = n.case_id
                where c.case_no = ? and n.completed_at is null and n.cancelled_at is null""", OffsetDateTime.class, caseNo);
    }

    static JsonNode day(JsonNode days, String date) {
        for (JsonNode d : days) {
            if (d.get("date").asText().equals(date)) {
                return d;
            }
        }
        throw new AssertionError("no day " + date + " in " + days);
    }

    /** The case numbers of every clock the agenda lists, overdue or under a day, for {@code path}. */
    List<String> agendaCases(String path) throws Exception {
        return allClocks(WebFixture.json(hub.get(path, "viewer"))).stream().map(c -> c.get("caseNo").asText()).toList();
    }

    static List<String> caseNos(JsonNode clocks) {
        List<String> nos = new ArrayList<>();
        clocks.forEach(c -> nos.add(c.get("caseNo").asText()));
        return nos;
    }

    static JsonNode byCase(JsonNode clocks, String caseNo) {
        for (JsonNode c : clocks) {
            if (c.get("caseNo").asText().equals(caseNo)) {
                return c;
            }
        }
        throw new AssertionError(caseNo + " not in " + clocks);
    }

    static List<JsonNode> allClocks(JsonNode agenda) {
        List<JsonNode> all = new ArrayList<>();
        agenda.get("overdue").forEach(all::add);
        agenda.get("days").forEach(d -> d.get("clocks").forEach(all::add));
        return all;
    }

    static JsonNode point(JsonNode series, String key, String month) {
        for (JsonNode s : series) {
            if (s.get("key").asText().equals(key)) {
                for (JsonNode p : s.get("points")) {
                    if (p.get("month").asText().equals(month)) {
                        return p;
                    }
                }
            }
        }
        throw new AssertionError("no " + key + " " + month + " in " + series);
    }

    static void assertSeries(JsonNode series, Map<String, Map<String, int[]>> expected, List<String> keys) {
        assertThat(series).extracting(s -> s.get("key").asText()).containsExactlyElementsOf(keys);
        for (JsonNode s : series) {
            String key = s.get("key").asText();
            assertThat(s.get("points")).hasSize(12);
            for (JsonNode p : s.get("points")) {
                int[] want = expected.getOrDefault(key, Map.of()).getOrDefault(p.get("month").asText(), new int[3]);
                assertThat(new int[] {p.get("completed").asInt(), p.get("onTime").asInt(), p.get("overdueOpen").asInt()})
                        .as(key + " " + p.get("month").asText()).containsExactly(want);
            }
        }
    }
}
