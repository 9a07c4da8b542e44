package cn.yekuo.hub.web;

import cn.yekuo.hub.support.Replies;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.replies.MailFixtures;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;

/**
 * A representative in headless Debian Chromium: log in, find a case by customer name, open it, see its timeline,
 * open one of its PDFs, log out; the agenda and the report's trend in Chinese and English. Screenshots of
 * the pages go to target/screenshots/. axe-core checks every page in Chinese (Accessibility: nothing serious or critical).
 */
@HubTest
class DashboardBrowserTest extends WebTestBase {

    @Autowired
    JdbcTemplate jdbc;

    HeadlessChromium chromium;
    WebDriver browser;

    @BeforeEach
    void startBrowser() {
        chromium = HeadlessChromium.start();
        browser = chromium.browser;
    }

    @AfterEach
    void quitBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void a_representative_finds_a_case_by_customer_name_reads_its_timeline_and_logs_out() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 4).toUpperCase();
        String customer = "杭州远山精密机械有限公司 " + tag;
        String caseNo = hub.caseInScheme(app -> ((ObjectNode) app.get("customer")).put("name", customer));
        sampleCases(tag);
        WebFixture.toContract(process, caseNo); // the contract is signed after the passed acceptance
        hub.action(caseNo, "record-contract-signed", "rep", "{\"contractNo\":\"HT-2026-" + tag + "\"}");

        browser.get(hub.base + "/");
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        screenshot("login");
        Accessibility.check(browser);
        browser.findElement(By.id("username")).sendKeys("rep");
        browser.findElement(By.id("password")).sendKeys("rep");
        browser.findElement(By.id("sign-in")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("q")));
        screenshot("case-list");
        Accessibility.check(browser);

        browser.findElement(By.id("q")).sendKeys("远山精密机械有限公司 " + tag);
        browser.findElement(By.id("search")).click();
        wait(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table.cases"), caseNo));
        assertThat(browser.getCurrentUrl()).as("the search term is not in the URL").doesNotContain("远山").doesNotContain("q=");
        List<WebElement> rows = browser.findElements(By.cssSelector("table.cases tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).findElement(By.cssSelector("td.customer")).getText()).isEqualTo(customer);
        screenshot("search-result");

        rows.get(0).findElement(By.cssSelector("a.case-link")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
        assertThat(browser.findElement(By.id("case-no")).getText()).isEqualTo(caseNo);
        assertThat(browser.findElement(By.id("customer-name")).getText()).isEqualTo(customer);
        List<WebElement> timeline = browser.findElements(By.cssSelector("#timeline li"));
        assertThat(timeline.size()).isGreaterThanOrEqualTo(3);
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("HT-2026-" + tag);
        screenshot("case-page");
        Accessibility.check(browser);

        // the contact card, scheme letter, opinion and contract are archived by now: the case page links each PDF
        List<WebElement> documents = browser.findElements(By.cssSelector("a.doc-link"));
        assertThat(documents).as("the case's documents are listed").isNotEmpty();
        String href = documents.get(0).getAttribute("href");
        assertThat(href).contains("/cases/" + caseNo + "/documents/");
        assertThat(hub.get(java.net.URI.create(href).getPath(), "rep").headers().firstValue("Content-Type").orElse(""))
                .as("the link serves the PDF").startsWith("application/pdf");

        browser.get(hub.base + "/cases/" + caseNo + "?lang=en");
        wait(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h2"), "Case"));
        screenshot("case-page-en");
        browser.get(hub.base + "/?lang=zh_CN");
        browser.get(hub.base + "/report");
        screenshot("report");
        browser.get(hub.base + "/overdue");
        wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector("header nav a.on")));
        Accessibility.check(browser);

        browser.get(hub.base + "/");
        browser.findElement(By.id("logout")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("sign-in")));
        assertThat(browser.getCurrentUrl()).endsWith("/login?logout");
        browser.get(hub.base + "/cases/" + caseNo);
        assertThat(browser.getCurrentUrl()).endsWith("/login");
    }

    @Test
    void the_agenda_and_the_report_trend_in_chinese_and_english() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 4).toUpperCase();
        sampleCases(tag);
        String done = hub.caseInScheme(app -> ((ObjectNode) app.get("customer")).put("name", "杭州城西智能装备有限公司 " + tag));
        WebFixture.toConstruction(process, done); // scheme reply and design review completed this month, on time
        chromium.login(hub.base, "viewer");

        browser.get(hub.base + "/agenda?lang=zh_CN");
        wait(ExpectedConditions.presenceOfElementLocated(By.id("overdue-clocks")));
        assertThat(browser.findElements(By.cssSelector("section.day"))).hasSize(14);
        assertThat(browser.findElement(By.cssSelector("section.day.today .pill.today")).getText()).isEqualTo("今天");
        assertThat(browser.findElement(By.id("overdue-clocks")).getText()).contains("浙江临平纺织印染有限公司 " + tag);
        assertThat(browser.findElement(By.cssSelector("header nav a.on")).getText()).isEqualTo("时限日程");
        screenshot("agenda");
        Accessibility.check(browser);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("unit"))).selectByValue("marketing");
        browser.findElement(By.id("filter")).click();
        wait(ExpectedConditions.urlContains("unit=marketing"));
        assertThat(browser.findElements(By.cssSelector("tr.clock td.units")))
                .allSatisfy(td -> assertThat(td.getText()).contains("市场营销部"));

        browser.get(hub.base + "/agenda?lang=en");
        wait(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#overdue-clocks h2"), "Overdue"));
        assertThat(browser.findElement(By.cssSelector("section.day.today .pill.today")).getText()).isEqualTo("Today");
        screenshot("agenda-en");

        browser.get(hub.base + "/report?lang=zh_CN");
        wait(ExpectedConditions.presenceOfElementLocated(By.id("trend-units")));
        assertThat(browser.findElement(By.id("trend-units")).getAttribute("role")).isEqualTo("img");
        assertThat(browser.findElements(By.cssSelector("#trend-units g.series[data-key=production] circle"))).isNotEmpty();
        browser.findElement(By.id("trend")).getText();
        screenshot("report-trend");
        Accessibility.check(browser);
        browser.get(hub.base + "/report?lang=en");
        wait(ExpectedConditions.textToBePresentInElementLocated(By.id("trend"), "On-time rate by unit"));
        screenshot("report-trend-en");
        browser.get(hub.base + "/?lang=zh_CN");
    }

    @Test
    void a_representative_reads_the_quarantine_queue_in_chinese_and_english_and_releases_a_checked_reply() throws Exception {
        MailClient mail = MailClient.ofTestHub();
        String caseNo = MailFixtures.newCase(hub.billing, jdbc)[1];
        jakarta.mail.internet.MimeMessage t1 = MailFixtures.awaitHandoff(mail, MailFixtures.PRODUCTION, caseNo, 1);
        // marketing answers production's task: quarantined for its sender, a reply a representative can check and release
        jakarta.mail.internet.MimeMessage wrongSender = MailFixtures.reply(mail, t1, MailFixtures.MARKETING,
                "结论：同意\n电源点：110kV东郊变 10kV 912东园线\n接入点：912东园线 #23杆 T接\n产权分界点：#23杆刀闸下桩头\n" + Replies.TECHNICAL_DETAILS);
        long released = MailFixtures.quarantined(mail, jdbc, MailFixtures.MARKETING, wrongSender);
        jakarta.mail.internet.MimeMessage hostile = mail.textMail(MailFixtures.PRODUCTION, MailFixtures.HUB,
                "<img src=x onerror=alert(1)> 关于 " + caseNo + " 的补充材料", "材料见附件。");
        long other = MailFixtures.quarantined(mail, jdbc, MailFixtures.PRODUCTION, hostile);

        chromium.login(hub.base, "rep");
        browser.get(hub.base + "/?lang=zh_CN");
        wait(ExpectedConditions.presenceOfElementLocated(By.id("nav-quarantine")));
        browser.findElement(By.id("nav-quarantine")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("mail-" + released)));
        WebElement row = browser.findElement(By.id("mail-" + released));
        assertThat(row.getText()).contains("发件人不在该单位的许可名单中", caseNo);
        WebElement hostileRow = browser.findElement(By.id("mail-" + other));
        assertThat(hostileRow.findElement(By.cssSelector("td.subject")).getText()).startsWith("<img src=x onerror=alert(1)>");
        assertThat(hostileRow.getText()).contains("主题中没有任务编号", "依据：主题中的工单号");
        assertThat(browser.findElement(By.id("zone")).getText()).contains("Asia/Shanghai");
        screenshot("quarantine");
        Accessibility.check(browser);

        browser.get(hub.base + "/quarantine?lang=en");
        wait(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Quarantined mail"));
        assertThat(browser.findElement(By.id("mail-" + released)).getText()).contains("Sender not on the unit's allow-list");
        screenshot("quarantine-en");

        browser.findElement(By.id("release-" + released)).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("done")));
        assertThat(browser.findElements(By.id("mail-" + released))).as("released: gone from the queue").isEmpty();
        assertThat(MailFixtures.taskStatus(jdbc, caseNo, 1)).isEqualTo("CLOSED");
        screenshot("quarantine-released-en");
        browser.get(hub.base + "/cases/" + caseNo + "?lang=zh_CN");
        wait(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("隔离的单位答复经核对后放行（rep）");
    }

    @Test
    void a_team_lead_reads_my_day_in_chinese_and_english_and_opens_a_case_from_it() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 4).toUpperCase();
        sampleCases(tag);
        String xijiao = hub.caseInScheme(app -> {
            ((ObjectNode) app.get("customer")).put("name", "杭州西郊新能源科技有限公司 " + tag);
            ((ObjectNode) app.get("site")).put("supplyStation", "xijiao");
        });

        chromium.login(hub.base, "rep");
        wait(ExpectedConditions.presenceOfElementLocated(By.id("nav-my")));
        browser.findElement(By.id("nav-my")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("rep-lihua")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("我的工作（今日待办）");
        assertThat(browser.findElement(By.id("zone")).getText()).isEqualTo("时间均为 Asia/Shanghai (UTC+08:00)");
        assertThat(browser.findElement(By.id("rep-wangmin")).getText()).contains("王敏", "已超期", "等待客户", "浙江临平纺织印染有限公司 " + tag);
        assertThat(browser.findElement(By.id("rep-lihua")).getText()).contains("李华", "杭州西郊新能源科技有限公司 " + tag, "生产技术部");
        screenshot("my-day");
        Accessibility.check(browser);

        browser.get(hub.base + "/my?lang=en");
        wait(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "My day"));
        assertThat(browser.findElement(By.id("zone")).getText()).isEqualTo("All times Asia/Shanghai (UTC+08:00)");
        assertThat(browser.findElement(By.id("rep-wangmin")).getText()).contains("Overdue", "Waiting on the customer");
        screenshot("my-day-en");

        browser.findElement(By.id("rep-lihua")).findElement(By.linkText(xijiao)).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("case-no")));
        assertThat(browser.findElement(By.id("case-no")).getText()).isEqualTo(xijiao);
        assertThat(browser.findElement(By.id("representative")).getText()).contains("李华");
        browser.get(hub.base + "/my?lang=zh_CN");
    }

    /** Other cases for a realistic list: one overdue and one in warning (their clocks moved back for the picture). */
    @Test
    void a_representative_reads_a_dead_letter_in_chinese_and_english_and_discards_it() throws Exception {
        String messageId = UUID.randomUUID().toString();
        String applicationNo = "SG186-NOSUCH-" + messageId.substring(0, 8);
        hub.billing.sendEvent("{\"type\":\"FeesSettled\",\"messageId\":\"" + messageId + "\",\"applicationNo\":\""
                + applicationNo + "\",\"amount\":\"12800.00\",\"paidAt\":\"2026-12-01T10:00:00+08:00\"}");
        hub.billing.awaitRejection(messageId, WebFixture.WAIT);
        String deadMail = "dead-browser-" + UUID.randomUUID();
        jdbc.update("""
                insert into outbox (channel, message_id, headers, payload, created_at, attempts, last_error, dead_at)
                values ('mail', ?, '{"to":"production@yekuo.local","kind":"HANDOFF","subject":"<b>派单</b>"}', '{}',
                        current_timestamp, 8, '552 5.2.2 mailbox full', current_timestamp)""", deadMail);
        try {
            chromium.login(hub.base, "rep");
            browser.get(hub.base + "/?lang=zh_CN");
            wait(ExpectedConditions.presenceOfElementLocated(By.id("nav-dead-letters")));
            browser.findElement(By.id("nav-dead-letters")).click();
            wait(ExpectedConditions.presenceOfElementLocated(By.id("dlq-q")));
            browser.findElement(By.id("dlq-q")).sendKeys(applicationNo);
            browser.findElement(By.cssSelector("form.search button")).click();
            wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#dead-letters a.letter-link")));
            assertThat(browser.findElement(By.id("dead-letters")).getText()).contains("UNKNOWN_APPLICATION", "FeesSettled",
                    "yk.billing.events", applicationNo);
            assertThat(browser.findElement(By.id("outbox-dead")).getText()).contains("<b>派单</b>", "552 5.2.2 mailbox full");
            screenshot("dead-letters");
            Accessibility.check(browser);

            browser.findElement(By.cssSelector("#dead-letters a.letter-link")).click();
            wait(ExpectedConditions.presenceOfElementLocated(By.id("letter-body")));
            assertThat(browser.findElement(By.id("letter-body")).getText()).contains(messageId);
            Accessibility.check(browser);
            String url = browser.getCurrentUrl();
            browser.get(url + "?lang=en");
            wait(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Dead letter"));
            screenshot("dead-letter-en");
            browser.findElement(By.id("discard-reason")).sendKeys("billing sent it for a test application");
            browser.findElement(By.id("discard")).click();
            wait(ExpectedConditions.presenceOfElementLocated(By.id("done")));
            assertThat(browser.findElement(By.id("dead-letter-log")).getText()).contains("billing sent it for a test application", "rep");
            browser.get(hub.base + "/dead-letters?lang=zh_CN");
        } finally {
            jdbc.update("delete from outbox where message_id = ?", deadMail);
        }
    }

    private void sampleCases(String tag) {
        String overdue = hub.caseInScheme(app -> ((ObjectNode) app.get("customer")).put("name", "浙江临平纺织印染有限公司 " + tag));
        String warning = hub.caseInScheme(app -> ((ObjectNode) app.get("customer")).put("name", "杭州钱塘生物医药科技有限公司 " + tag));
        String paused = hub.caseInScheme(app -> ((ObjectNode) app.get("customer")).put("name", "杭州东郊冷链物流有限公司 " + tag));
        hub.caseAwaitingMaterials();
        OffsetDateTime now = OffsetDateTime.now();
        moveClock(overdue, now.minusDays(2), now.minusDays(6));
        moveClock(warning, now.plusDays(2), now.minusHours(3));
        hub.action(paused, "pause", "rep", "{\"reason\":\"客户配电房土建未完成，申请暂缓\"}");
    }

    private void moveClock(String caseNo, OffsetDateTime due, OffsetDateTime warning) {
        jdbc.update("""
                update case_node set due_at = ?, warning_at = ?
                where case_id = (select id from yk_case where case_no = ?) and completed_at is null""", due, warning, caseNo);
    }

    private void wait(org.openqa.selenium.support.ui.ExpectedCondition<?> condition) {
        chromium.waitFor(condition);
    }

    private void screenshot(String name) throws Exception {
        chromium.screenshot(name);
    }
}
