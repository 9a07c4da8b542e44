package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.status.StatusRateLimit;
import cn.yekuo.hub.support.HubTest;

/**
 * The customers' status page over HTTP, from the link in the customer's real mail (contract §4.10): no login, this
 * case only, its documents only, a changed or expired token 404 that names nothing, the per-address rate limit 429.
 */
@HubTest
class StatusPageTest extends WebTestBase {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StatusRateLimit limit;

    @Autowired
    HubProperties properties;

    @Autowired
    java.time.Clock clock;

    @BeforeEach
    @AfterEach
    void forgetCounts() {
        limit.reset(); // every test of the shared hub calls from 127.0.0.1
    }

    private record Opened(String caseNo, String customer, String path) {
    }

    private Opened open() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String email = "status-" + tag + "@customer.example.cn";
        String customer = "杭州状态页测试有限公司 " + tag;
        String caseNo = hub.caseInScheme(app -> {
            ((ObjectNode) app.get("customer")).put("email", email).put("name", customer);
        });
        return new Opened(caseNo, customer, WebFixture.statusPathFromCustomerMail(email, caseNo));
    }

    @Test
    void the_link_in_the_customer_mail_opens_the_case_page_without_login_and_its_own_documents() {
        Opened c = open();

        HttpResponse<String> page = hub.get(c.path(), null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Set-Cookie")).as("no session").isEmpty();
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(page.body()).contains(c.caseNo(), c.customer(), "供电方案", "王敏", "办理中", "待办理", "业务文书",
                "正在等待以下单位办理", "生产技术部").doesNotContain("联系人", "lisi@");
        Matcher doc = Pattern.compile("href=\"(/status/[^\"]+/documents/(\\d+))\"").matcher(page.body());
        assertThat(doc.find()).as("the contact card is listed").isTrue();
        HttpResponse<String> pdf = hub.get(doc.group(1), null);
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).contains("application/pdf");
        assertThat(pdf.body()).startsWith("%PDF-");

        Opened other = open();
        Matcher otherDoc = Pattern.compile("/documents/(\\d+)\"").matcher(hub.get(other.path(), null).body());
        assertThat(otherDoc.find()).isTrue();
        HttpResponse<String> foreign = hub.get(c.path() + "/documents/" + otherDoc.group(1), null);
        assertThat(foreign.statusCode()).as("another case's document by its id").isEqualTo(404);
        assertThat(foreign.body()).doesNotContain(other.caseNo()).doesNotContain(c.caseNo());
        assertThat(hub.get(c.path() + "/documents/x", null).statusCode()).isEqualTo(404);
        assertThat(hub.get(c.path() + "/documents/" + Long.MAX_VALUE, null).statusCode()).isEqualTo(404);

        HttpResponse<String> en = hub.get(c.path() + "?lang=en", null);
        assertThat(en.body()).contains("Connection application status", "Your customer representative", "In progress");
    }

    @Test
    void a_token_changed_in_one_character_or_of_an_unknown_case_is_404_naming_nothing() {
        Opened c = open();
        String path = c.path();
        char last = path.charAt(path.length() - 1);
        String changed = path.substring(0, path.length() - 1) + (last == 'A' ? 'B' : 'A');
        String otherCase = path.replace(c.caseNo(), "YK-2026-999999");

        for (String p : new String[] {changed, otherCase, "/status/" + c.caseNo(), "/status/x", changed + "/documents/1"}) {
            HttpResponse<String> r = hub.get(p, null);
            assertThat(r.statusCode()).as(p).isEqualTo(404);
            assertThat(r.body()).as(p).doesNotContain(c.caseNo()).doesNotContain(c.customer()).contains("链接无效或已过期");
        }
        assertThat(hub.post(path, null, null).statusCode()).as("GET only").isIn(403, 405);
    }

    @Test
    void a_link_is_honoured_until_the_closing_plus_the_configured_period_then_404() {
        Opened c = open();
        assertThat(hub.action(c.caseNo(), "withdraw", "rep", "{\"reason\":\"客户撤回申请\"}").statusCode()).isEqualTo(200);
        assertThat(hub.get(c.path(), null).body()).contains("本业务已结束：已撤销");

        OffsetDateTime now = OffsetDateTime.now(clock);
        closedAt(c.caseNo(), now.minus(properties.status().validAfterClose()).plusMinutes(1));
        assertThat(hub.get(c.path(), null).statusCode()).as("just inside the period").isEqualTo(200);

        closedAt(c.caseNo(), now.minus(properties.status().validAfterClose()).minusMinutes(1));
        HttpResponse<String> expired = hub.get(c.path(), null);
        assertThat(expired.statusCode()).as("expired").isEqualTo(404);
        assertThat(expired.body()).doesNotContain(c.caseNo());
    }

    @Test
    void more_than_the_allowed_requests_a_minute_from_one_address_are_answered_429_with_retry_after() {
        Opened c = open();
        int allowed = properties.status().requestsPerMinute();
        for (int i = 0; i < allowed; i++) {
            assertThat(hub.get(i % 2 == 0 ? c.path() : "/status/nothing", null).statusCode()).isIn(200, 404);
        }

        HttpResponse<String> refused = hub.get(c.path(), null);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
        assertThat(refused.body()).doesNotContain(c.caseNo());
        assertThat(hub.get("/api/cases/" + c.caseNo(), "viewer").statusCode()).as("only /status/** is limited").isEqualTo(200);
    }

    /** Moves the case's closing (its timeline entries in its final stage) to {@code at}, as if it closed then. */
    private void closedAt(String caseNo, OffsetDateTime at) {
        int moved = jdbc.update("""
                update case_timeline set at = ? where case_id = (select id from yk_case where case_no = ?)
                and stage = (select stage from yk_case where case_no = ?)""", at, caseNo, caseNo);
        assertThat(moved).isPositive();
    }
}
