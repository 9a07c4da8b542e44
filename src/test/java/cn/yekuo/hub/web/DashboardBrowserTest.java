package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.HubTest;

/**
 * A representative in headless Debian Chromium: log in, find a case by customer name, open it, see its timeline,
 * (open its PDF once documents exist), log out. Screenshots of the list and the case page go to target/screenshots/.
 */
@HubTest
class DashboardBrowserTest extends WebTestBase {

    private static final Logger log = LoggerFactory.getLogger(DashboardBrowserTest.class);
    static final String CHROMIUM = System.getProperty("yk.test.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("yk.test.chromedriver", "/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    @Autowired
    JdbcTemplate jdbc;

    WebDriver browser;

    @BeforeEach
    void startBrowser() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(CHROMEDRIVER)) && Files.isExecutable(Path.of(CHROMIUM)),
                "Debian chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--lang=zh-CN",
                "--window-size=1440,1100");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
    }

    @AfterEach
    void quitBrowser() {
        if (browser != null) {
            browser.quit();
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
        browser.findElement(By.id("username")).sendKeys("rep");
        browser.findElement(By.id("password")).sendKeys("rep");
        browser.findElement(By.id("sign-in")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("q")));
        screenshot("case-list");

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

        List<WebElement> documents = browser.findElements(By.cssSelector("a.doc-link"));
        if (documents.isEmpty()) {
            // The documents feature (issue 5) does not archive PDFs yet: the step is skipped until it does.
            log.warn("No documents on case {}: opening the PDF is skipped until the document archive exists", caseNo);
        } else {
            String href = documents.get(0).getAttribute("href");
            browser.get(href);
            assertThat(browser.getCurrentUrl()).contains("/documents/");
            browser.navigate().back();
        }

        browser.get(hub.base + "/cases/" + caseNo + "?lang=en");
        wait(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h2"), "Case"));
        screenshot("case-page-en");
        browser.get(hub.base + "/?lang=zh_CN");
        browser.get(hub.base + "/report");
        screenshot("report");

        browser.get(hub.base + "/");
        browser.findElement(By.id("logout")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("sign-in")));
        assertThat(browser.getCurrentUrl()).endsWith("/login?logout");
        browser.get(hub.base + "/cases/" + caseNo);
        assertThat(browser.getCurrentUrl()).endsWith("/login");
    }

    @Test
    void a_team_lead_reads_my_day_in_chinese_and_english_and_opens_a_case_from_it() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 4).toUpperCase();
        sampleCases(tag);
        String xijiao = hub.caseInScheme(app -> {
            ((ObjectNode) app.get("customer")).put("name", "杭州西郊新能源科技有限公司 " + tag);
            ((ObjectNode) app.get("site")).put("supplyStation", "xijiao");
        });

        browser.get(hub.base + "/login");
        browser.findElement(By.id("username")).sendKeys("rep");
        browser.findElement(By.id("password")).sendKeys("rep");
        browser.findElement(By.id("sign-in")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("nav-my")));
        browser.findElement(By.id("nav-my")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("rep-lihua")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("我的工作（今日待办）");
        assertThat(browser.findElement(By.id("zone")).getText()).isEqualTo("时间均为 Asia/Shanghai (UTC+08:00)");
        assertThat(browser.findElement(By.id("rep-wangmin")).getText()).contains("王敏", "已超期", "等待客户", "浙江临平纺织印染有限公司 " + tag);
        assertThat(browser.findElement(By.id("rep-lihua")).getText()).contains("李华", "杭州西郊新能源科技有限公司 " + tag, "生产技术部");
        screenshot("my-day");

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
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(condition);
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        long height = (Long) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return Math.max(document.body.scrollHeight, 800)");
        browser.manage().window().setSize(new Dimension(1440, (int) Math.min(height + 40, 4000)));
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(new Dimension(1440, 1100));
    }
}
