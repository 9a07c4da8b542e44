package cn.yekuo.hub.mailtransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class MailTemplatesTest {

    private final MailTemplates templates = new MailTemplates();

    @Test
    void everyTemplateUnderMailsIsCompiledAtStart() throws IOException, URISyntaxException {
        Path folder = Path.of(MailTemplates.class.getResource("/mails/").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrderElementsOf(MailTemplates.TEMPLATES);
        }
    }

    @Test
    void plainTextBodiesWriteValuesAsTheyAreWhileTheHtmlAlternativeEscapesThem() {
        Map<String, Object> model = new HashMap<>();
        model.put("refused", true);
        model.put("attempts", 1);
        model.put("to", "a&b@yekuo.local");
        model.put("kind", "HANDOFF");
        model.put("subject", "<b>方案</b> & \"报价\"");
        model.put("messageId", "<x@yekuo.local>");
        model.put("reason", "550 <no such user>");

        assertThat(templates.render("dead-mail.ftl", model))
                .contains("  主题 Subject: <b>方案</b> & \"报价\"\n", "  Message-ID: <x@yekuo.local>\n",
                        "  原因 Reason: 550 <no such user>\n")
                .doesNotContain("&lt;", "&amp;", "案件 Case");
    }

    @Test
    void aMissingValueIsAnErrorNotAnEmptyLine() {
        assertThatThrownBy(() -> templates.render("return-visit-plan-empty.ftl", Map.of("station", "dongjiao")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("return-visit-plan-empty.ftl");
    }
}
