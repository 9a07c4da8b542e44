package cn.yekuo.hub.monthly;

import cn.yekuo.hub.support.Replies;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.domain.workflow.TaskResult;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CommandResult;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MutableClock;
import cn.yekuo.hub.support.RunningHub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Hubs for the monthly tests (settable clock, no firing unless asked) and cases driven to ENERGIZED through the workflow. */
final class MonthlyHubs {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** A Quartz cron that does not fire during a test. */
    static final String NEVER = "0 0 0 1 1 ? 2099";
    static final Path REPORTS = Path.of("target/monthly-reports");

    private MonthlyHubs() {
    }

    static RunningHub start(Path data, int brokerPort, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put("yk.test.clock", "mutable");
        props.put("yk.test.clock-start", "2026-11-27T09:30:00+08:00");
        props.put("yk.deadlines.cron", NEVER);
        props.put("yk.monthly.plan-cron", NEVER);
        props.put("yk.monthly.assessment-cron", NEVER);
        props.put("yk.monthly.check-cron", NEVER);
        props.put("yk.monthly.catch-up", "false");
        props.putAll(overrides);
        return RunningHub.start(data, brokerPort, props);
    }

    static MutableClock clock(RunningHub hub) {
        return hub.bean(MutableClock.class);
    }

    static OffsetDateTime at(String isoLocalShanghai) {
        return OffsetDateTime.parse(isoLocalShanghai + "+08:00");
    }

    /** When each step of a case happens (Shanghai local times); pause/resume optional (during the scheme). */
    record Steps(String scheme, String design, String review, String inspectionRequest, String inspection, String completed,
                 String acceptance, String formalities, String energized, String pause, String resume, String scanBeforeScheme) {
    }

    /** A case of the station's area through intake (JMS) and every node to ENERGIZED; returns its case number. */
    static String energizedCase(RunningHub hub, int brokerPort, String station, String customer, Steps s) {
        ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
        ((ObjectNode) app.get("site")).put("supplyStation", station);
        ((ObjectNode) app.get("customer")).put("name", customer);
        String applicationNo = app.get("applicationNo").asText();
        JdbcTemplate jdbc = hub.jdbc();
        try (BillingClient billing = new BillingClient("tcp://127.0.0.1:" + brokerPort)) {
            billing.sendApplication(app.toString());
            await().atMost(WAIT).until(() -> stage(jdbc, applicationNo).equals("SCHEME"));
            String caseNo = jdbc.queryForObject("select case_no from yk_case where application_no = ?", String.class, applicationNo);
            if (s.pause() != null) {
                apply(hub, caseNo, new Command.PauseForCustomer(at(s.pause()), Actor.REPRESENTATIVE, "客户要求暂缓，待确认用电负荷"));
                apply(hub, caseNo, new Command.ResumeFromCustomer(at(s.resume()), Actor.REPRESENTATIVE));
            }
            if (s.scanBeforeScheme() != null) {
                clock(hub).set(at(s.scanBeforeScheme()));
                hub.bean(cn.yekuo.hub.deadlines.DeadlineWatcher.class).scan();
            }
            complete(hub, caseNo, 1, s.scheme(), TaskResult.APPROVED, Replies.with(Map.of("SOURCE", "110kV东郊变 10kV 912东园线",
                    "CONNECTION_POINT", "912东园线 #23杆 T接", "OWNERSHIP_BOUNDARY", "#23杆 T接点刀闸下桩头"), Replies.TECHNICAL_FIELDS));
            complete(hub, caseNo, 2, s.scheme(), TaskResult.APPROVED, Replies.with(Map.of("METERING", "高供高计", "TARIFF", "大工业用电",
                    "ASSET_TRANSFER", "否", "FEES", "12800.00"), Replies.BUSINESS_FIELDS));
            complete(hub, caseNo, 3, s.design(), TaskResult.DONE, Map.of());
            complete(hub, caseNo, 4, s.review(), TaskResult.APPROVED, Map.of());
            complete(hub, caseNo, 5, s.inspectionRequest(), TaskResult.INSPECTION_REQUESTED, Map.of());
            complete(hub, caseNo, 6, s.inspection(), TaskResult.APPROVED, Map.of());
            complete(hub, caseNo, 5, s.completed(), TaskResult.COMPLETED, Map.of());
            complete(hub, caseNo, 7, s.acceptance(), TaskResult.APPROVED, Map.of());
            complete(hub, caseNo, 8, s.acceptance(), TaskResult.APPROVED, Map.of()); // marketing, jointly
            String when = at(s.formalities()).format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX"));
            clock(hub).set(at(s.formalities()));
            billing.sendEvent(event("ContractSigned", applicationNo, "signedAt", when, "contractNo", "GYD-" + caseNo));
            billing.sendEvent(event("ArrearsCleared", applicationNo, "clearedAt", when, "customerId", "3301000123456"));
            billing.sendEvent(event("FeesSettled", applicationNo, "paidAt", when, "amount", "12800.00"));
            await().atMost(WAIT).until(() -> stage(jdbc, applicationNo).equals("ENERGIZATION"));
            for (int joint = 10; joint <= 12; joint++) { // production, marketing and construction, jointly
                complete(hub, caseNo, joint, s.energized(), TaskResult.DONE, Map.of());
            }
            complete(hub, caseNo, 9, s.energized(), TaskResult.DONE, Map.of("METER_NO", "3301-" + caseNo.substring(8),
                    "ENERGIZED_AT", s.energized().replace('T', ' ')));
            assertThat(stage(jdbc, applicationNo)).isEqualTo("ENERGIZED");
            return caseNo;
        }
    }

    static String stage(JdbcTemplate jdbc, String applicationNo) {
        List<String> s = jdbc.queryForList("select stage from yk_case where application_no = ?", String.class, applicationNo);
        return s.isEmpty() ? "" : s.get(0);
    }

    static void complete(RunningHub hub, String caseNo, int taskNo, String at, TaskResult result, Map<String, String> fields) {
        apply(hub, caseNo, new Command.CompleteTask(at(at), Actor.UNIT, taskNo, result, fields));
    }

    static void apply(RunningHub hub, String caseNo, Command command) {
        clock(hub).set(command.at());
        CommandResult r = hub.bean(CaseProcess.class).byCaseNo(caseNo, command, CaseProcess.Source.NONE);
        assertThat(r).as(caseNo + " " + command).isInstanceOf(CommandResult.Applied.class);
    }

    static String event(String type, String applicationNo, String... fields) {
        ObjectNode e = BillingClient.JSON.createObjectNode();
        e.put("type", type);
        e.put("messageId", UUID.randomUUID().toString());
        e.put("applicationNo", applicationNo);
        for (int i = 0; i < fields.length; i += 2) {
            e.put(fields[i], fields[i + 1]);
        }
        return e.toString();
    }

    // ------------------------------------------------------------------ the outbox's mails

    record Mail(String id, String to, String subject, String text, Map<String, byte[]> attachments) {
        String attachmentText(String suffix) {
            return attachments.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).findFirst()
                    .map(e -> new String(e.getValue(), StandardCharsets.UTF_8)).orElseThrow();
        }

        byte[] attachment(String suffix) {
            return attachments.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).findFirst().orElseThrow().getValue();
        }
    }

    /** Mails in the outbox whose id starts with the prefix, in order, composed as the mail relay sends them. */
    static List<Mail> outboxMails(RunningHub hub, String idPrefix) {
        List<Mail> mails = new ArrayList<>();
        for (Map<String, Object> row : hub.jdbc().queryForList(
                "select message_id, payload from outbox where channel = 'mail' and message_id like ? order by id", idPrefix + "%")) {
            String id = (String) row.get("message_id");
            try {
                MimeMessage composed = hub.bean(cn.yekuo.hub.mailtransport.MailMessages.class).compose(new cn.yekuo.hub.outbox.OutboxEntry(
                        0, null, "mail", id, null, Map.of(), (String) row.get("payload")));
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                composed.writeTo(out);
                mails.add(parse(id, out.toByteArray()));
            } catch (Exception e) {
                throw new IllegalStateException("cannot compose outbox mail " + id, e);
            }
        }
        return mails;
    }

    static Mail parse(String id, byte[] raw) {
        try {
            MimeMessage m = new MimeMessage(Session.getInstance(new java.util.Properties()), new ByteArrayInputStream(raw));
            String to = m.getAllRecipients()[0].toString();
            String text = "";
            Map<String, byte[]> files = new java.util.LinkedHashMap<>();
            if (m.getContent() instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    BodyPart part = mp.getBodyPart(i);
                    if (part.getFileName() != null) {
                        files.put(MimeUtility.decodeText(part.getFileName()), part.getInputStream().readAllBytes());
                    } else {
                        text = (String) part.getContent();
                    }
                }
            } else {
                text = (String) m.getContent();
            }
            return new Mail(id, to, m.getSubject(), text, files);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable outbox mail " + id, e);
        }
    }

    /** Keeps a report PDF under target/monthly-reports for a look (pdftoppm -png -r 60 -f 1 -l 1). */
    static Path keep(String name, byte[] pdf) {
        try {
            Files.createDirectories(REPORTS);
            Path file = REPORTS.resolve(name + ".pdf");
            Files.write(file, pdf);
            return file;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
