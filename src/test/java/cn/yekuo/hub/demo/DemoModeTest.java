package cn.yekuo.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.RepClient;
import cn.yekuo.hub.support.RunningHub;

/**
 * The demo profile as a person starts it (mvn spring-boot:run -Dspring-boot.run.profiles=demo), with shorter delays:
 * the simulated billing system and units play the three applications to their end, seen as a representative sees
 * them over HTTP.
 */
class DemoModeTest {

    static final Duration BOUND = Duration.ofSeconds(120);

    @Test
    void the_demo_plays_a_complete_an_incomplete_and_an_ineligible_application_to_their_end() {
        int http = RunningHub.freePort();
        Map<String, Object> props = new HashMap<>();
        props.put("spring.profiles.active", "demo");
        props.put("server.port", String.valueOf(http));
        props.put("yk.mail.smtp-port", "3766");
        props.put("yk.mail.imap-port", "3767");
        props.put("yk.demo.reply-delay", "400ms");
        props.put("yk.mail.poll-interval", "300ms");
        props.put("yk.mail.relay-interval", "200ms");
        try (RunningHub hub = RunningHub.start(RunningHub.newDataDir("demo"), 61763, props)) {
            RepClient rep = new RepClient(http, "rep", "rep");
            await().atMost(BOUND).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(stages(rep)).containsOnly(
                    Map.entry("杭州东郊新材料有限公司", "ENERGIZED"),
                    Map.entry("西郊冷链物流股份有限公司", "ENERGIZED"),
                    Map.entry("城区便利店", "NOT_ELIGIBLE")));

            assertThat(stageChanges(rep, "西郊冷链物流股份有限公司")).containsSubsequence("RECEIVED", "AWAITING_MATERIALS",
                    "ACCEPTED", "SCHEME", "DESIGN", "CONSTRUCTION", "ACCEPTANCE", "CONTRACT", "ENERGIZATION", "ENERGIZED");
            assertThat(stageChanges(rep, "杭州东郊新材料有限公司")).containsExactly("RECEIVED", "ACCEPTED", "SCHEME", "DESIGN",
                    "CONSTRUCTION", "ACCEPTANCE", "CONTRACT", "ENERGIZATION", "ENERGIZED");
            JsonNode complete = rep.json("/api/cases/" + caseNo(rep, "杭州东郊新材料有限公司"));
            List<String> kinds = new ArrayList<>();
            complete.get("tasks").forEach(t -> kinds.add(t.get("kind").asText()));
            assertThat(kinds).as("the joint acceptance fails once, so a rectification loop shows too; energization is joint")
                    .containsSubsequence("COMPLETION_ACCEPTANCE", "COMPLETION_ACCEPTANCE_MARKETING", "RECTIFICATION",
                            "COMPLETION_ACCEPTANCE", "COMPLETION_ACCEPTANCE_MARKETING", "ENERGIZATION", "ENERGIZATION_PRODUCTION",
                            "ENERGIZATION_MARKETING", "ENERGIZATION_CONSTRUCTION");
            List<String> documents = new ArrayList<>();
            complete.get("documents").forEach(d -> documents.add(d.get("kind").asText()));
            assertThat(documents).as("what the customer received").containsSubsequence("CONTACT_CARD", "SCHEME_REPLY",
                    "ACCEPTANCE_OPINION", "ACCEPTANCE_OPINION", "CONTRACT", "ENERGIZATION_NOTICE");
            assertThat(new MailClient(3766, 3767).messages("lisi@dongjiao-materials.example.cn", "INBOX",
                    MailClient.subjectContains(complete.get("caseNo").asText()))).as("and in the customer's mailbox").hasSize(6);
        }
    }

    static Map<String, String> stages(RepClient rep) {
        Map<String, String> stages = new HashMap<>();
        rep.json("/api/cases?size=50").get("items").forEach(c -> stages.put(c.get("customerName").asText(), c.get("stage").asText()));
        return stages;
    }

    static String caseNo(RepClient rep, String customer) {
        for (JsonNode c : rep.json("/api/cases?size=50").get("items")) {
            if (customer.equals(c.get("customerName").asText())) {
                return c.get("caseNo").asText();
            }
        }
        throw new AssertionError("no case for " + customer);
    }

    /** The stages a case went through, from its timeline. */
    static List<String> stageChanges(RepClient rep, String customer) {
        List<String> stages = new ArrayList<>();
        rep.json("/api/cases/" + caseNo(rep, customer)).get("timeline").forEach(t -> {
            if ("STAGE_CHANGED".equals(t.get("kind").asText())) {
                stages.add(t.get("stage").asText());
            }
        });
        return stages;
    }
}
