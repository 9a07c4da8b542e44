package cn.yekuo.hub.ops;

import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.yaml.snakeyaml.Yaml;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

import org.springframework.boot.logging.logback.StructuredLogEncoder;

import cn.yekuo.hub.replies.MailFixtures;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.Replies;
import cn.yekuo.hub.support.TestPorts;

/**
 * The production profile's JSON logs (docs/operations.md): the hub's log lines, encoded by Spring Boot's structured
 * encoder in the format the {@code prod} profile sets, are one JSON object each, and every line about a case carries
 * its number ({@code caseNo}) — the intake's also the application number — on the intake's JMS thread, the relays'
 * and the mail reader's threads alike.
 */
@HubTest
class StructuredLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void the_prod_profile_logs_json() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/application-prod.yaml")) {
            Map<String, Object> prod = new Yaml().load(in);
            assertThat(path(prod, "logging", "structured", "format", "console")).isEqualTo(format());
        }
    }

    @Test
    void every_line_about_a_case_names_it_from_intake_to_a_unit_reply() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> appender = jsonAppender(out);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        String applicationNo;
        String caseNo;
        try (BillingClient billing = new BillingClient(TestPorts.BROKER_URL)) {
            String[] created = MailFixtures.newCase(billing, jdbc);
            applicationNo = created[0];
            caseNo = created[1];
            MailClient mail = MailClient.ofTestHub();
            MimeMessage t1 = awaitHandoff(mail, PRODUCTION, caseNo, 1);
            mail.send(PRODUCTION, reply(mail, t1, PRODUCTION, "结论：同意\n电源点：110kV东郊变 10kV 912东园线\n"
                    + "接入点：912东园线 #23杆 T接\n产权分界点：912东园线 #23杆 T接点刀闸下桩头\n" + Replies.TECHNICAL_DETAILS));
            await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));
        } finally {
            root.detachAppender(appender);
            appender.stop();
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line)); // every line is one JSON object
            }
        }
        List<JsonNode> aboutCase = lines.stream().filter(l -> text(l, "message").contains(caseNo)).toList();
        assertThat(aboutCase).as("the hub logs about the case").hasSizeGreaterThan(3);
        assertThat(aboutCase).allSatisfy(l -> assertThat(text(l, "caseNo")).as(l.toString()).isEqualTo(caseNo));

        List<JsonNode> aboutApplication = lines.stream().filter(l -> text(l, "message").contains(applicationNo)).toList();
        assertThat(aboutApplication).as("the intake names the application").isNotEmpty()
                .allSatisfy(l -> assertThat(text(l, "applicationNo")).as(l.toString()).isEqualTo(applicationNo));

        JsonNode replyLine = lines.stream().filter(l -> text(l, "message").startsWith("Reply from " + PRODUCTION)
                && text(l, "message").contains(caseNo)).findFirst().orElseThrow();
        assertThat(text(replyLine, "caseNo")).isEqualTo(caseNo);
        assertThat(text(replyLine, "mailKey")).as("the mail thread's own key too").isNotEmpty();
        List<JsonNode> mailThread = lines.stream()
                .filter(l -> thread(l).equals(thread(replyLine)) && caseNo.equals(text(l, "caseNo"))).toList();
        assertThat(mailThread).as("the workflow's lines on the mail reader's thread name the case too")
                .anySatisfy(l -> assertThat(text(l, "message")).contains("CompleteTask"));
    }

    /** The format the prod profile configures, read from its file (the test follows it). */
    private static String format() throws Exception {
        try (InputStream in = StructuredLogTest.class.getResourceAsStream("/application-prod.yaml")) {
            Map<String, Object> prod = new Yaml().load(in);
            return String.valueOf(path(prod, "logging", "structured", "format", "console"));
        }
    }

    private static OutputStreamAppender<ILoggingEvent> jsonAppender(ByteArrayOutputStream out) throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(format());
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("structured-log-test");
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        return appender;
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> map, String... keys) {
        Object at = map;
        for (String key : keys) {
            at = at instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(key) : null;
        }
        return at;
    }

    private static String text(JsonNode line, String field) {
        JsonNode n = line.get(field);
        return n == null || n.isNull() ? "" : n.asText();
    }

    /** The thread's name: ECS nests it ({@code process.thread.name}), flat in older layouts. */
    private static String thread(JsonNode line) {
        JsonNode nested = line.path("process").path("thread").path("name");
        return nested.isMissingNode() ? text(line, "process.thread.name") : nested.asText();
    }
}
