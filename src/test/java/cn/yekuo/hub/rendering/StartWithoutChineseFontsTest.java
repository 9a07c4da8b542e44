package cn.yekuo.hub.rendering;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.RunningHub;
import cn.yekuo.hub.support.TestPorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Without a Chinese TrueType font the hub cannot issue documents, so it does not start, and says what to install. */
class StartWithoutChineseFontsTest {

    @Test
    void theHubRefusesToStartWithoutChineseFontsNamingTheDebianPackages() {
        Path dataDir = RunningHub.newDataDir("no-fonts");
        Path nowhere = dataDir.toAbsolutePath().resolve("no-such-fonts");

        Throwable failure = catchThrowable(() -> RunningHub.start(dataDir, TestPorts.BROKER + 3, Map.of(
                "yk.documents.fonts.use-defaults", "false",
                "yk.documents.fonts.body", nowhere.resolve("uming.ttc") + "#UMingCN",
                "yk.documents.fonts.heading", nowhere.resolve("wqy-zenhei.ttc") + "#WenQuanYiZenHei",
                "yk.intake.enabled", "false",
                "yk.outbox.enabled", "false")).close());

        assertThat(failure).as("start-up must fail").isNotNull();
        Throwable cause = failure;
        while (!(cause instanceof ChineseFontsNotFoundException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(ChineseFontsNotFoundException.class)
                .hasMessageContaining("apt-get install fonts-arphic-uming fonts-wqy-zenhei")
                .hasMessageContaining(nowhere.resolve("uming.ttc").toString())
                .hasMessageContaining(nowhere.resolve("wqy-zenhei.ttc").toString());
    }
}
