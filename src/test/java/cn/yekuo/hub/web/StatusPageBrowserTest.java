package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.springframework.beans.factory.annotation.Autowired;

import cn.yekuo.hub.status.StatusRateLimit;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.Outboxes;

/**
 * A customer opens the link of their mail on a phone (390 px wide) in headless Chromium, in Chinese and in English:
 * the stages, the current step with its due date and who it waits on, the representative and the documents; axe-core
 * finds nothing serious. Screenshots: target/screenshots/status-*.png (docs/screenshots/status.png is one of them).
 */
@HubTest
class StatusPageBrowserTest extends WebTestBase {

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Autowired
    StatusRateLimit limit;

    HeadlessChromium chromium;
    WebDriver browser;

    @BeforeEach
    void startBrowser() {
        limit.reset();
        chromium = HeadlessChromium.start();
        browser = chromium.browser;
    }

    @AfterEach
    void quitBrowser() {
        if (chromium != null) {
            chromium.close();
        }
        limit.reset();
    }

    @Test
    void a_customer_follows_the_link_of_their_mail_on_a_phone_in_chinese_and_english() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String email = "status-browser-" + tag + "@customer.example.cn";
        String caseNo = hub.caseInScheme(app -> ((ObjectNode) app.get("customer")).put("email", email)
                .put("name", "杭州远山精密机械有限公司"));
        WebFixture.toConstruction(process, caseNo); // scheme answered, design reviewed: a case half-way
        // the scheme reply is issued after its transition commits (document-issuer): the page lists it once it is
        Outboxes.awaitDocumentsIssued(jdbc, caseNo, java.time.Duration.ofSeconds(60));
        String path = WebFixture.statusPathFromCustomerMail(email, caseNo);

        chromium.phone();
        browser.get(hub.base + path + "?lang=zh_CN");
        chromium.waitFor(d -> !d.findElements(By.id("steps")).isEmpty());
        assertThat(browser.findElement(By.id("case-no")).getText()).isEqualTo(caseNo);
        assertThat(browser.findElement(By.id("stage")).getText()).isEqualTo("工程施工");
        assertThat(browser.findElements(By.cssSelector("#steps li.done"))).extracting(e -> e.getText().split("\n")[0])
                .contains("已受理", "供电方案", "工程设计");
        assertThat(browser.findElement(By.cssSelector("#steps li.current")).getText()).contains("工程施工", "办理中");
        assertThat(browser.findElements(By.cssSelector("#steps li.next"))).extracting(e -> e.getText().split("\n")[0])
                .containsExactly("竣工验收", "签订合同", "装表送电", "已送电", "已归档");
        assertThat(browser.findElement(By.id("waits")).getText()).contains("正在等待以下单位办理");
        assertThat(browser.findElement(By.id("representative")).getText()).contains("王敏");
        assertThat(browser.findElements(By.cssSelector("#documents a.doc-link"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("lisi@", "结论", "电源点");
        Long overflow = (Long) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        chromium.phoneScreenshot("status");
        assertThat(overflow).as("no sideways scrolling on a phone").isLessThanOrEqualTo(0);
        Accessibility.check(browser);

        browser.findElement(By.id("lang")).click();
        chromium.waitFor(d -> d.findElement(By.tagName("h2")).getText().equals("Current step"));
        assertThat(browser.findElement(By.id("stage")).getText()).isEqualTo("Construction");
        assertThat(browser.findElement(By.id("representative")).getText()).contains("Your customer representative");
        chromium.phoneScreenshot("status-en");
        Accessibility.check(browser);

        browser.get(hub.base + path.substring(0, path.length() - 2) + "xx?lang=zh_CN");
        assertThat(browser.findElement(By.id("missing")).getText()).isEqualTo("页面不存在");
        assertThat(browser.getPageSource()).doesNotContain(caseNo);
        chromium.phoneScreenshot("status-missing");
        Accessibility.check(browser);
    }
}
