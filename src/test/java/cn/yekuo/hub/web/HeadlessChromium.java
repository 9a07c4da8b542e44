package cn.yekuo.hub.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's headless Chromium for the browser tests; the test is skipped where it is not installed. */
final class HeadlessChromium implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("yk.test.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("yk.test.chromedriver", "/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    final WebDriver browser;

    private HeadlessChromium(WebDriver browser) {
        this.browser = browser;
    }

    static boolean available() {
        return Files.isExecutable(Path.of(CHROMEDRIVER)) && Files.isExecutable(Path.of(CHROMIUM));
    }

    static HeadlessChromium start() {
        Assumptions.assumeTrue(available(),
                "Debian chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--lang=zh-CN", "--hide-scrollbars",
                "--window-size=1440,1100");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
        return new HeadlessChromium(browser);
    }

    /** Signs in through the login form and waits for the case list. */
    void login(String base, String user) {
        browser.get(base + "/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(user);
        browser.findElement(By.id("sign-in")).click();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("q")));
    }

    void waitFor(ExpectedCondition<?> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(condition);
    }

    /** The whole page as target/screenshots/{name}.png. */
    Path screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        long height = (Long) ((JavascriptExecutor) browser).executeScript("return Math.max(document.body.scrollHeight, 800)");
        browser.manage().window().setSize(new Dimension(1440, (int) Math.min(height + 40, 4000)));
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(new Dimension(1440, 1100));
        return file;
    }

    /** From now on the viewport is a phone's: 390 × 844 CSS pixels (an iPhone 12–15), touch and mobile layout. */
    void phone() {
        phone(844);
    }

    private void phone(long height) {
        ((ChromeDriver) browser).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                java.util.Map.of("width", 390, "height", height, "deviceScaleFactor", 1, "mobile", true));
    }

    /** The whole page on the phone of {@link #phone()} as target/screenshots/{name}.png, as tall as the page. */
    Path phoneScreenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        long height = (Long) ((JavascriptExecutor) browser).executeScript(
                "return Math.max(document.documentElement.scrollHeight, 844)");
        phone(Math.min(height, 4000));
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        phone();
        return file;
    }

    @Override
    public void close() {
        browser.quit();
    }
}
