package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.replies.grammar.RejectionCode;

/** The quarantine queue names every reason code in the dashboard's two languages, as the quarantine notice does. */
class QuarantineMessagesTest {

    @Test
    void every_rejection_code_has_its_title_in_chinese_and_english() throws IOException {
        Properties zh = load("/messages.properties");
        Properties en = load("/messages_en.properties");
        for (RejectionCode code : RejectionCode.values()) {
            assertThat(zh.getProperty("reason." + code.name())).as(code.name()).isEqualTo(code.titleZh());
            assertThat(en.getProperty("reason." + code.name())).as(code.name()).isEqualTo(code.titleEn());
        }
        for (String key : zh.stringPropertyNames()) {
            if (key.startsWith("quarantine.") || key.equals("nav.quarantine")) {
                assertThat(en.getProperty(key)).as(key + " in English").isNotBlank();
            }
        }
    }

    private static Properties load(String resource) throws IOException {
        Properties p = new Properties();
        try (InputStream in = QuarantineMessagesTest.class.getResourceAsStream(resource)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }
}
