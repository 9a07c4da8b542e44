package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * axe-core (the npm package, pinned in src/test/browser/package-lock.json and installed by the build) run on the page
 * the browser shows: the test fails listing every serious or critical violation, with the elements concerned.
 */
final class Accessibility {

    static final Path AXE = Path.of("src/test/browser/node_modules/axe-core/axe.min.js");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String source;

    private Accessibility() {
    }

    /** Runs axe on the current page (WCAG 2.x A and AA rules and best practices) and fails on a serious or critical finding. */
    static void check(WebDriver browser) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        js.executeScript(axeSource()); // defines window.axe
        Object result = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                window.axe.run(document, {resultTypes: ['violations']})
                    .then(r => done(JSON.stringify(r.violations)))
                    .catch(e => done(JSON.stringify({error: String(e)})));""");
        List<String> problems = new ArrayList<>();
        try {
            JsonNode violations = JSON.readTree(String.valueOf(result));
            if (violations.has("error")) {
                throw new AssertionError("axe failed on " + browser.getCurrentUrl() + ": " + violations.get("error").asText());
            }
            for (JsonNode v : violations) {
                String impact = v.path("impact").asText();
                if (!impact.equals("serious") && !impact.equals("critical")) {
                    continue;
                }
                List<String> targets = new ArrayList<>();
                v.path("nodes").forEach(n -> targets.add(n.path("target").toString() + " " + n.path("failureSummary").asText()
                        .replace('\n', ' ')));
                problems.add(impact + " " + v.path("id").asText() + ": " + v.path("help").asText() + " — " + targets);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(problems).as("serious or critical accessibility violations on %s", browser.getCurrentUrl()).isEmpty();
    }

    private static synchronized String axeSource() {
        if (source == null) {
            if (!Files.isRegularFile(AXE)) {
                throw new AssertionError(AXE + " is missing: the build installs it (npm ci in src/test/browser, see pom.xml)");
            }
            try {
                source = Files.readString(AXE, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return source;
    }
}
