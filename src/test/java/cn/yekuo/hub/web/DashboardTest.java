package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

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
}
