package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.HubTest;

/**
 * Issue 21 item 2, "my day" (/my): a representative's open cases by urgency with what each waits for and on whom; a
 * team lead sees every representative's; a viewer has none of their own.
 */
@HubTest
class MyDayTest extends WebTestBase {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Autowired
    JdbcTemplate jdbc;

    private String caseAt(String station) {
        return hub.caseInScheme(app -> ((ObjectNode) app.get("site")).put("supplyStation", station));
    }

    private void due(String caseNo, OffsetDateTime at) {
        jdbc.update("update case_node set due_at = ?, warning_at = null where completed_at is null and cancelled_at is null"
                + " and case_id = (select id from yk_case where case_no = ?)", at, caseNo);
    }

    private static Element row(Document page, String caseNo) {
        Element link = page.selectFirst("a.case-link:containsOwn(" + caseNo + ")");
        assertThat(link).as("%s is listed", caseNo).isNotNull();
        return link.closest("tr");
    }

    /** The urgency heading a case is listed under. */
    private static String group(Document page, String caseNo) {
        Element table = row(page, caseNo).closest("table");
        Element heading = table.previousElementSibling();
        return heading.id();
    }

    @Test
    void a_representative_sees_their_open_cases_by_urgency_with_the_tasks_units_and_due_dates() {
        String overdue = caseAt("xijiao");
        due(overdue, OffsetDateTime.now().minusHours(2));
        String today = caseAt("xijiao");
        LocalDate day = LocalDate.now(ZONE);
        due(today, day.atTime(23, 59).atZone(ZONE).toOffsetDateTime());
        String waiting = caseAt("xijiao");
        assertThat(hub.action(waiting, "pause", "rep2", "{\"reason\":\"客户资金未到位\"}").statusCode()).isEqualTo(200);
        String later = caseAt("xijiao");
        due(later, day.plusDays(30).atTime(17, 0).atZone(ZONE).toOffsetDateTime());
        String notMine = caseAt("dongjiao");

        WebFixture.Browser li = hub.new Browser().login("rep2");
        HttpResponse<String> r = li.get("/my");
        assertThat(r.statusCode()).isEqualTo(200);
        Document page = Jsoup.parse(r.body());
        assertThat(page.selectFirst("#nav-my").hasClass("on")).isTrue();
        assertThat(page.selectFirst("#me").text()).contains("李华");
        assertThat(page.select("section.my-rep")).extracting(Element::id).containsExactly("rep-lihua");
        assertThat(group(page, overdue)).isEqualTo("lihua-overdue");
        assertThat(group(page, today)).isEqualTo("lihua-today");
        assertThat(group(page, waiting)).isEqualTo("lihua-customer");
        assertThat(group(page, later)).isEqualTo("lihua-later");
        assertThat(page.select("a.case-link")).extracting(Element::text).doesNotContain(notMine);
        assertThat(page.select("h3.urgency")).extracting(Element::id).as("most urgent first")
                .containsSubsequence("lihua-overdue", "lihua-customer", "lihua-today", "lihua-later");

        Element todayRow = row(page, today);
        assertThat(todayRow.select("td.waits .task").eachText()).anySatisfy(t -> assertThat(t).contains("T1", "生产技术部", "到期"))
                .anySatisfy(t -> assertThat(t).contains("T2", "市场营销部"));
        assertThat(todayRow.selectFirst("td.due").text()).contains(day.toString() + " 23:59");
        assertThat(todayRow.selectFirst("a.act").attr("href")).isEqualTo("/cases/" + today + "#actions");
        assertThat(row(page, waiting).selectFirst("td.waits").text()).contains("客户", "客户资金未到位");
        assertThat(page.selectFirst("#zone").text()).isEqualTo("时间均为 Asia/Shanghai (UTC+08:00)");

        Document english = Jsoup.parse(li.get("/my?lang=en").body());
        assertThat(english.selectFirst("h1").text()).isEqualTo("My day");
        assertThat(english.getElementById("lihua-overdue").text()).startsWith("Overdue");
        assertThat(row(english, today).select("td.waits .task").eachText()).anySatisfy(t -> assertThat(t).contains("T1", "Production"));

        assertThat(li.get("/my?rep=wangmin").statusCode()).as("only a lead sees another's day").isEqualTo(403);
    }

    @Test
    void a_team_lead_sees_every_representative_grouped_and_filters_by_one() {
        String li = caseAt("xijiao");
        String wang = caseAt("dongjiao");
        WebFixture.Browser lead = hub.new Browser().login("rep");

        Document all = Jsoup.parse(lead.get("/my").body());
        assertThat(all.select("section.my-rep")).extracting(Element::id).containsExactly("rep-wangmin", "rep-lihua");
        assertThat(row(all, li).closest("section").id()).isEqualTo("rep-lihua");
        assertThat(row(all, wang).closest("section").id()).isEqualTo("rep-wangmin");
        assertThat(all.select("#rep option")).extracting(e -> e.attr("value")).containsExactly("", "wangmin", "lihua");

        Document one = Jsoup.parse(lead.get("/my?rep=lihua").body());
        assertThat(one.select("section.my-rep")).extracting(Element::id).containsExactly("rep-lihua");
        assertThat(lead.get("/my?rep=nobody").statusCode()).isEqualTo(400);
    }

    @Test
    void a_viewer_may_look_but_has_no_cases_and_a_stranger_is_sent_to_the_login() {
        HttpResponse<String> viewer = hub.new Browser().login("viewer").get("/my");
        assertThat(viewer.statusCode()).isEqualTo(200);
        Document page = Jsoup.parse(viewer.body());
        assertThat(page.getElementById("no-cases-of-mine")).isNotNull();
        assertThat(page.select("section.my-rep")).isEmpty();

        HttpResponse<String> stranger = hub.new Browser().get("/my");
        assertThat(stranger.statusCode()).isEqualTo(302);
        assertThat(stranger.headers().firstValue("Location").orElse("")).endsWith("/login");
    }
}
