package cn.yekuo.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.CustomerMailbox;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.MutableClock;
import cn.yekuo.hub.support.Poppler;
import cn.yekuo.hub.support.RepClient;
import cn.yekuo.hub.support.Replies;

/**
 * One application told from the outside: billing over JMS, the units and the customer over SMTP/IMAP, a
 * representative over HTTP, and the hub's settable clock as the only lever inside. The story (business time,
 * Asia/Shanghai, 2026 calendar of docs/domain.md; November and December 2026 have no holidays):
 *
 * <pre>
 * 11-02 (Mon) 09:30  ApplicationSubmitted without PROPERTY_PROOF and SITE_PLAN      → RECEIVED, AWAITING_MATERIALS
 * 11-03 (Tue) 10:00  MaterialsSupplemented: scheme 15 working days → 11-24           → ACCEPTED, SCHEME (due 11-24)
 * 11-04 09:00 pause, 11-06 09:00 resume (covers 11-05, 11-06: two working days)      → SCHEME due null, then 11-26
 * 11-09  T1 technical scheme REJECTED (→ T3), T2 business scheme APPROVED
 * 11-25  T3 APPROVED: after the first deadline (11-24), within the paused one (11-26): nothing charged → DESIGN
 * 11-26  T4 design DONE (drawing attached) → T5 review due 10 working days → 12-10
 * 11-30  T5 APPROVED                                                                  → CONSTRUCTION
 * 12-01  T6 INSPECTION_REQUESTED → T7 mid inspection; 12-02 FAILED → T8 rectification; 12-03 DONE → T9; 12-04 APPROVED
 * 12-07  T6 COMPLETED: joint acceptance T10 production, T11 marketing, 5 working days → ACCEPTANCE (due 12-14)
 * 12-08  T10 FAILED, T11 APPROVED: one failure fails the round → T12 rectification; 12-09 DONE → T13, T14;
 *        12-10 T13 APPROVED (the stage waits for marketing), T14 APPROVED                → CONTRACT
 * 12-11 ArrearsCleared, 12-12 FeesSettled, 12-14 ContractSigned: joint energization T15 customer-center, T16 production,
 *        T17 marketing, T18 construction, 5 days → 12-19                               → ENERGIZATION (due 12-19)
 * 12-15  T16, T17, T18 DONE: the stage waits for customer-center
 * 12-20  the clock passes the energization deadline: an assessment entry for customer-center alone (the others answered)
 * 12-21  T15 energization DONE                                                        → ENERGIZED
 * 2027-01-01 08:00  the hub mails station-dongjiao its plan of December's energized cases (this one)
 * 2027-01-05  the station reports "满意"                                                → CLOSED
 * </pre>
 *
 * Subclasses provide the hub (and may interrupt it at named points of the story, see {@link #step}).
 */
abstract class Lifecycle {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration QUIET = Duration.ofMillis(1500);
    static final String SECRET = "end-to-end-token-secret-0123456789abcdef";
    static final OffsetDateTime START = at("2026-11-02T09:30");

    static final String HUB = "hub@yekuo.local";
    static final String PRODUCTION = "production@yekuo.local";
    static final String MARKETING = "marketing@yekuo.local";
    static final String CONSTRUCTION = "construction@yekuo.local";
    static final String CUSTOMER_CENTER = "customer-center@yekuo.local";
    static final String REPS = "reps@yekuo.local";
    /** The case's representative (dongjiao: 王敏), who gets its notices (issue 17). */
    static final String REP = "rep@yekuo.local";
    static final String CUSTOMER = "lisi@dongjiao-materials.example.cn";
    static final String STATION = "station-dongjiao@yekuo.local";
    static final String CUSTOMER_NAME = "杭州东郊新材料有限公司";
    static final List<String> ADDRESSES = List.of(HUB, PRODUCTION, MARKETING, CONSTRUCTION, CUSTOMER_CENTER, REPS, REP, CUSTOMER,
            "assessment@yekuo.local", "station-dongjiao@yekuo.local", "station-xijiao@yekuo.local", "station-chengqu@yekuo.local");

    static final String SOURCE = "110kV东郊变 10kV 912东园线";
    static final String BOUNDARY = "912东园线 #23杆 T接点刀闸下桩头";
    static final String METER_NO = "3301-88990011";
    static final byte[] DESIGN = "%PDF-1.4 design drawing of 东郊新材料 10kV".getBytes(StandardCharsets.UTF_8);

    /** The hand-offs the story causes, in task order: unit and kind. */
    static final Map<Integer, Object[]> HANDOFFS = new LinkedHashMap<>();

    static {
        Object[][] rows = {
                {PRODUCTION, TaskKind.SCHEME_TECHNICAL}, {MARKETING, TaskKind.SCHEME_BUSINESS}, {PRODUCTION, TaskKind.SCHEME_TECHNICAL},
                {CONSTRUCTION, TaskKind.DESIGN}, {PRODUCTION, TaskKind.DESIGN_REVIEW}, {CONSTRUCTION, TaskKind.CONSTRUCTION},
                {PRODUCTION, TaskKind.MID_INSPECTION}, {CONSTRUCTION, TaskKind.RECTIFICATION}, {PRODUCTION, TaskKind.MID_INSPECTION},
                {PRODUCTION, TaskKind.COMPLETION_ACCEPTANCE}, {MARKETING, TaskKind.COMPLETION_ACCEPTANCE_MARKETING},
                {CONSTRUCTION, TaskKind.RECTIFICATION},
                {PRODUCTION, TaskKind.COMPLETION_ACCEPTANCE}, {MARKETING, TaskKind.COMPLETION_ACCEPTANCE_MARKETING},
                {CUSTOMER_CENTER, TaskKind.ENERGIZATION}, {PRODUCTION, TaskKind.ENERGIZATION_PRODUCTION},
                {MARKETING, TaskKind.ENERGIZATION_MARKETING}, {CONSTRUCTION, TaskKind.ENERGIZATION_CONSTRUCTION}};
        for (int i = 0; i < rows.length; i++) {
            HANDOFFS.put(i + 1, rows[i]);
        }
    }

    // ------------------------------------------------------------------ what a subclass provides

    abstract MutableClock clock();

    abstract BillingClient billing();

    abstract RepClient rep();

    abstract MailClient mail();

    /**
     * One step of the story: {@code action} acts on the hub from outside, {@code effect} waits until the hub has
     * committed its consequence (seen through the HTTP API). A subclass may stop and start the hub around it.
     */
    void step(String point, Runnable action, Runnable effect) {
        action.run();
        effect.run();
    }

    // ------------------------------------------------------------------ the story's state

    String applicationNo;
    String caseNo;
    final List<JsonNode> statuses = new ArrayList<>();
    /** The last billing message sent, as sent (a redelivery repeats it byte for byte). */
    String lastBillingMessage;
    /** The Message-IDs of every reply the units sent, in order. */
    final List<String> replyIds = new ArrayList<>();

    // ------------------------------------------------------------------ the story

    void play() {
        // 11-02: the application, two materials missing
        clock().set(START);
        ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
        app.put("submittedAt", "2026-11-02T09:30:00+08:00");
        app.putArray("materials").add("APPLICATION_FORM").add("BUSINESS_LICENSE").add("AGENT_AUTHORIZATION")
                .add("PROJECT_APPROVAL").add("EQUIPMENT_LIST");
        applicationNo = app.get("applicationNo").asText();
        lastBillingMessage = app.toString();
        billing().sendApplication(app.toString());
        statuses(2);
        caseNo = statuses.get(0).get("caseNo").asText();
        assertThat(caseNo).matches("YK-2026-\\d{6}");

        event("materials-supplemented", "MaterialsSupplemented", "suppliedAt", "2026-11-03T10:00",
                Map.of("materials", List.of("PROPERTY_PROOF", "SITE_PLAN")), () -> awaitStage("SCHEME"));
        statuses(4);

        // the customer asks for a pause while the scheme is prepared; a representative records it and its end
        clock().set(at("2026-11-04T09:00"));
        rep().action(caseNo, "pause", "{\"reason\":\"客户要求暂缓，待确认用电负荷\"}");
        statuses(5);
        clock().set(at("2026-11-06T09:00"));
        rep().action(caseNo, "resume", "{}");
        statuses(6);

        // the scheme: technical part rejected, then approved after the first deadline but within the paused one
        answer("scheme-rejected", PRODUCTION, 1, "2026-11-09T10:00", "结论：不同意\n说明：接入点需重新选择，改由912东园线T接\n");
        answer("scheme-business", MARKETING, 2, "2026-11-09T11:00",
                "结论：通过\n计量方式：高供高计\n电价类别：大工业用电\n资产移交：是\n业务费用：12800.00\n"
                        + Replies.BUSINESS_DETAILS + Replies.ASSETS);
        // the clock passes the scheme's first deadline (11-24); looking at 11-25 the watcher only warns, for the pause
        // moved the deadline to 11-26 (had it charged the scheme, the November assessment would show it)
        clock().set(at("2026-11-25T09:00"));
        mail().await(REP, "INBOX", m -> subject(m).contains("Deadline warning") && subject(m).contains(caseNo + " "), WAIT);
        answer("scheme-approved", PRODUCTION, 3, "2026-11-25T14:00", "结论：同意\n电源点：" + SOURCE
                + "\n接入点：912东园线 #23杆 T接\n产权分界点：" + BOUNDARY + "\n说明：需新建 10kV 电缆 0.4km。\n"
                + Replies.TECHNICAL_DETAILS + "--\n生产技术部 张工\n");
        statuses(7);

        // design and its review
        answer("design", CONSTRUCTION, 4, "2026-11-26T09:00", "结论：完成\n说明：设计文件见附件\n", DESIGN);
        answer("design-review", PRODUCTION, 5, "2026-11-30T09:00", "结论：同意\n");
        statuses(8);

        // construction with a mid-inspection that fails once
        answer("inspection-requested", CONSTRUCTION, 6, "2026-12-01T09:00", "结论：申请中间检查\n", () -> awaitTask(7, "OPEN"));
        answer("inspection-failed", PRODUCTION, 7, "2026-12-02T09:00", "结论：不合格\n缺陷：电缆沟未封堵；接地电阻超标\n");
        answer("rectified", CONSTRUCTION, 8, "2026-12-03T09:00", "结论：完成\n");
        answer("inspection-passed", PRODUCTION, 9, "2026-12-04T09:00", "结论：同意\n");
        answer("completed", CONSTRUCTION, 6, "2026-12-07T09:00", "结论：竣工\n");
        statuses(9);

        // the joint completion acceptance: production fails it, marketing passes it, so the round fails; then both pass
        answer("acceptance-failed", PRODUCTION, 10, "2026-12-08T09:00", "结论：不合格\n缺陷：接地电阻超标\n");
        answer("acceptance-marketing", MARKETING, 11, "2026-12-08T10:00", "结论：通过\n说明：计量装置符合要求\n");
        answer("acceptance-rectified", CONSTRUCTION, 12, "2026-12-09T09:00", "结论：完成\n");
        answer("acceptance-production", PRODUCTION, 13, "2026-12-10T09:00", "结论：通过\n");
        assertThat(rep().json("/api/cases/" + caseNo).get("stage").asText()).as("marketing has not answered yet").isEqualTo("ACCEPTANCE");
        answer("acceptance-passed", MARKETING, 14, "2026-12-10T10:00", "结论：通过\n");
        statuses(10);

        // the customer's formalities in an odd order; the last one opens energization
        event("arrears-cleared", "ArrearsCleared", "clearedAt", "2026-12-11T10:00", Map.of("customerId", "3301000123456"),
                progressed());
        event("fees-settled", "FeesSettled", "paidAt", "2026-12-12T10:00", Map.of("amount", "12800.00"), progressed());
        event("contract-signed", "ContractSigned", "signedAt", "2026-12-14T10:00", Map.of("contractNo", "GYD-2026-0088"),
                () -> awaitStage("ENERGIZATION"));
        statuses(11);

        // production, marketing and construction take their part in time; the customer center lets the deadline (12-19)
        // pass: the watcher charges it alone
        answer("energization-production", PRODUCTION, 16, "2026-12-15T09:00", "结论：完成\n");
        answer("energization-marketing", MARKETING, 17, "2026-12-15T10:00", "结论：完成\n");
        answer("energization-construction", CONSTRUCTION, 18, "2026-12-15T11:00", "结论：完成\n");
        handoff(15);
        clock().set(at("2026-12-20T09:00"));
        await().atMost(WAIT).until(() -> !entries("2026-12").isEmpty());
        assertThat(rep().json("/api/cases/" + caseNo).get("stage").asText()).isEqualTo("ENERGIZATION");

        answer("energized", CUSTOMER_CENTER, 15, "2026-12-21T10:30",
                "结论：完成\n电能表号：" + METER_NO + "\n送电时间：2026-12-21 10:30\n");
        statuses(12);

        // the return visit of the next month: on 2027-01-01 (08:00) the hub mails each supply station its plan of the
        // cases energized in December; dongjiao's station reports its call on 01-05 and the case is closed
        clock().set(at("2027-01-01T09:00"));
        MimeMessage plan = mail().await(STATION, "INBOX", MailClient.subjectContains("[YK-RV-2026-12/dongjiao/"), WAIT);
        verifyPlan(plan);
        clock().set(at("2027-01-05T10:00"));
        MimeMessage visit = Replies.reply(plan, STATION, HUB, caseNo + "：满意 说明：送电及时，服务周到\n");
        replyIds.add(messageId(visit));
        step("return-visit", () -> mail().send(STATION, visit), () -> awaitStage("CLOSED"));
        statuses(13);
    }

    /** The station's plan: its token, this case with the customer's contact in the CSV and in the PDF. */
    void verifyPlan(MimeMessage plan) {
        try {
            assertThat(plan.getSubject()).startsWith(token("RV-2026-12/dongjiao", "[YK-"));
            String csv = null;
            String pdf = null;
            jakarta.mail.Multipart parts = (jakarta.mail.Multipart) plan.getContent();
            for (int i = 0; i < parts.getCount(); i++) {
                jakarta.mail.BodyPart part = parts.getBodyPart(i);
                String name = part.getFileName() == null ? "" : jakarta.mail.internet.MimeUtility.decodeText(part.getFileName());
                byte[] bytes = part.getInputStream().readAllBytes();
                if (name.endsWith(".csv")) {
                    csv = new String(bytes, StandardCharsets.UTF_8);
                } else if (name.endsWith(".pdf")) {
                    pdf = CustomerMailbox.compact(CustomerMailbox.pdfText(bytes));
                }
            }
            assertThat(csv).as("the plan's CSV").contains(caseNo + "," + CUSTOMER_NAME + ",李四,13800000000,2026-12-21");
            assertThat(pdf).as("the plan's PDF").contains(caseNo, CUSTOMER_NAME, "13800000000");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything the outside world received, each exactly once. */
    void verify() throws Exception {
        verifyStatuses();
        verifyHandoffs();
        verifyDocuments();
        verifyRepliesTakenOnce();
        verifyAssessment();
        assertThat(rep().json("/api/cases/" + caseNo).get("stage").asText()).isEqualTo("CLOSED");
    }

    void verifyStatuses() {
        statuses.addAll(billing().await("yk.billing.status", "applicationNo = '" + applicationNo + "'", Integer.MAX_VALUE, QUIET));
        assertThat(statuses).extracting(m -> m.get("previousStage").asText(null) + " → " + m.get("stage").asText() + " "
                + m.get("dueAt").asText(null)).containsExactly(
                "null → RECEIVED null",
                "RECEIVED → AWAITING_MATERIALS null",
                "AWAITING_MATERIALS → ACCEPTED 2026-11-24T23:59:59+08:00",
                "ACCEPTED → SCHEME 2026-11-24T23:59:59+08:00",
                "SCHEME → SCHEME null",
                "SCHEME → SCHEME 2026-11-26T23:59:59+08:00",
                "SCHEME → DESIGN null",
                "DESIGN → CONSTRUCTION null",
                "CONSTRUCTION → ACCEPTANCE 2026-12-14T23:59:59+08:00",
                "ACCEPTANCE → CONTRACT null",
                "CONTRACT → ENERGIZATION 2026-12-19T23:59:59+08:00",
                "ENERGIZATION → ENERGIZED null",
                "ENERGIZED → CLOSED null");
        assertThat(statuses).allSatisfy(m -> {
            assertThat(m.get("type").asText()).isEqualTo("CaseStatusChanged");
            assertThat(m.get("caseNo").asText()).isEqualTo(caseNo);
            assertThat(m.get("applicationNo").asText()).isEqualTo(applicationNo);
        });
        assertThat(statuses).extracting(m -> m.get("messageId").asText()).as("each status message once").doesNotHaveDuplicates();
        assertThat(statuses.get(1).get("reason").asText()).as("what the customer must supply")
                .contains("产权证明", "总平面图");
        assertThat(statuses.get(4).get("reason").asText()).contains("客户要求暂缓");
        assertThat(statuses.get(9).get("reason").asText()).contains("等待客户");
        assertThat(statuses).extracting(m -> m.get("at").asText().substring(0, 10)).containsExactly("2026-11-02", "2026-11-02",
                "2026-11-03", "2026-11-03", "2026-11-04", "2026-11-06", "2026-11-25", "2026-11-30", "2026-12-07", "2026-12-10",
                "2026-12-14", "2026-12-21", "2027-01-05");
    }

    void verifyHandoffs() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String unit : List.of(PRODUCTION, MARKETING, CONSTRUCTION, CUSTOMER_CENTER)) {
            for (MimeMessage m : mail().messages(unit, "INBOX", MailClient.subjectContains("[" + caseNo + "/T"))) {
                ids.add(m.getMessageID());
            }
        }
        assertThat(ids).as("one hand-off per task, each once").hasSize(HANDOFFS.size()).doesNotHaveDuplicates();
        for (Map.Entry<Integer, Object[]> e : HANDOFFS.entrySet()) {
            int n = e.getKey();
            String unit = (String) e.getValue()[0];
            TaskKind kind = (TaskKind) e.getValue()[1];
            List<MimeMessage> found = mail().messages(unit, "INBOX", MailClient.subjectContains("[" + caseNo + "/T" + n + "/"));
            assertThat(found).as("hand-off T%d to %s", n, unit).hasSize(1);
            MimeMessage m = found.get(0);
            assertThat(m.getSubject()).startsWith(token(n)).contains(kind.titleZh(), kind.titleEn(), CUSTOMER_NAME);
            assertThat(((InternetAddress) m.getFrom()[0]).getAddress()).isEqualTo(HUB);
            assertThat(MailClient.textOf(m)).contains(caseNo, "答复期限 Due:");
        }
        assertThat(MailClient.textOf(handoffs.get(4))).as("the design hand-off carries the approved scheme").contains("12800.00");
        assertThat(MailClient.textOf(handoffs.get(8))).as("the rectification lists the defects").contains("电缆沟未封堵");
        assertThat(MailClient.textOf(handoffs.get(12))).contains("接地电阻超标");
        assertThat(MailClient.textOf(handoffs.get(5))).as("review due 10 working days after 11-26").contains("2026-12-10");
        assertThat(MailClient.textOf(handoffs.get(7))).as("inspection due 5 working days after 12-01").contains("2026-12-08");
    }

    void verifyDocuments() throws Exception {
        List<MimeMessage> mails = mail().messages(CUSTOMER, "INBOX", MailClient.subjectContains(caseNo));
        assertThat(mails).extracting(MimeMessage::getSubject).containsExactly(
                "【业扩报装】资料补正通知书 " + caseNo,
                "【业扩报装】业扩服务联系卡 " + caseNo,
                "【业扩报装】供电方案答复函 " + caseNo,
                "【业扩报装】竣工验收意见书 " + caseNo,
                "【业扩报装】竣工验收意见书 " + caseNo,
                "【业扩报装】高压供用电合同 " + caseNo,
                "【业扩报装】送电通知书 " + caseNo);
        assertThat(mails).extracting(MimeMessage::getMessageID).as("each document once").doesNotHaveDuplicates();
        String[][] expected = {
                {"资料补正通知书", "产权证明或租赁合同", "总平面图"},
                {"业扩服务联系卡", "王敏", "15个工作日"},
                // the limits the letters promise are the default rule set's (timelimits/default.yaml)
                {"供电方案答复函", compact(SOURCE), compact(BOUNDARY), "高供高计", "大工业用电", "12,800.00",
                        "审核（10个工作日内答复）", "在5日内装表送电", "起一年内有效"},
                {"竣工验收意见书", "接地电阻超标", "复验按竣工验收时限（5个工作日）办理", "计量装置符合要求"},
                {"竣工验收意见书", "在5日内装表送电"},
                {"高压供用电合同", compact(BOUNDARY), "资产移交协议", "大工业用电"},
                {"送电通知书", METER_NO}};
        for (int i = 0; i < mails.size(); i++) {
            CustomerMailbox.Attachment pdf = CustomerMailbox.attachment(mails.get(i));
            assertThat(pdf.fileName()).isEqualTo(caseNo + "-" + expected[i][0] + ".pdf");
            assertThat(pdf.contentType()).startsWith("application/pdf");
            String text = pdf.compactText();
            assertThat(text).as("document %d: %s", i, expected[i][0]).contains(caseNo, CUSTOMER_NAME).contains(expected[i]);
        }
        verifyAnsweredContents(mails.get(2), mails.get(5), mails.get(6));
        // the same PDFs, byte for byte, from the case's documents as a representative opens them over HTTP
        JsonNode documents = rep().json("/api/cases/" + caseNo).get("documents");
        for (MimeMessage m : mails) {
            CustomerMailbox.Attachment mailed = CustomerMailbox.attachment(m);
            boolean archived = false;
            for (JsonNode d : documents) {
                if (d.get("fileName").asText().equals(mailed.fileName())
                        && java.util.Arrays.equals(mailed.bytes(), rep().bytes("/api/cases/" + caseNo + "/documents/" + d.get("id").asText(),
                        "application/pdf"))) {
                    archived = true;
                }
            }
            assertThat(archived).as("%s archived with the case, byte-identical", mailed.fileName()).isTrue();
        }
        String failed = CustomerMailbox.attachment(mails.get(3)).compactText();
        String passed = CustomerMailbox.attachment(mails.get(4)).compactText();
        assertThat(failed).as("the two opinions differ").isNotEqualTo(passed);
        assertThat(passed).doesNotContain("接地电阻超标");
    }

    /**
     * The letter, the contract (with its boundary annex and the asset transfer agreement) and the energization notice
     * as a reader sees them: rendered to PNG by pdftoppm, read by pdftotext; each prints what the units answered (two
     * transformer lines, works, metering, the assets with book values) and the one contract number.
     */
    void verifyAnsweredContents(MimeMessage letterMail, MimeMessage contractMail, MimeMessage noticeMail) {
        java.nio.file.Path pages = java.nio.file.Path.of("target", "document-pages", getClass().getSimpleName() + "-" + caseNo);
        byte[] letter = CustomerMailbox.attachment(letterMail).bytes();
        byte[] contract = CustomerMailbox.attachment(contractMail).bytes();
        byte[] notice = CustomerMailbox.attachment(noticeMail).bytes();
        Poppler.renderPages(letter, pages, "scheme-reply");
        Poppler.renderPages(contract, pages, "contract");
        Poppler.renderPages(notice, pages, "energization-notice");
        List<String> scheme = List.of("2050kVA", "SCB13-800/10", "SCB13-625/10", "电缆T接", "150/5", "10000/100",
                "10kV进线计量柜", "有功0.5S级、无功2级", "工业用电（新材料制造）", "0.90", "10kV环网柜", "HXGN15-12",
                "86,000.00", "54,000.00", "140,000.00");
        assertThat(Poppler.compactText(letter)).contains(scheme)
                .contains("核定容量2050kVA", "新建工程", "10kV电缆线路YJV22-8.7/15-3×700.4km", "改造工程",
                        "912东园线#23杆T接刀闸更换", "客户签收回执", "签收人（签字）");
        String contractText = Poppler.compactText(contract);
        assertThat(contractText).contains(scheme)
                .contains("合同容量为2050kVA", "功率因数不低于0.90", "附件一产权分界点示意及说明", "SCB13-625/10×2×625kVA",
                        "）附件二", compact(BOUNDARY));
        java.util.regex.Matcher number = java.util.regex.Pattern.compile("合同编号：(GYHT-\\d{4}-\\d{6})").matcher(contractText);
        assertThat(number.find()).as("the contract prints its number").isTrue();
        String contractNo = number.group(1);
        assertThat(contractText.split(contractNo, -1).length - 1).as("contract, annex and agreement").isGreaterThanOrEqualTo(3);
        assertThat(Poppler.compactText(notice)).as("the notice prints the contract's number")
                .contains("合同编号" + contractNo, "2050kVA").doesNotContain("GYD-2026-0088");
    }

    /** The hub took each reply once and keeps it in Processed; nothing quarantined, nothing left unread. */
    void verifyRepliesTakenOnce() {
        await().atMost(WAIT).untilAsserted(() -> assertThat(mail().messages(HUB, "INBOX")).isEmpty());
        List<String> processed = mail().messages(HUB, "Processed").stream().map(Lifecycle::messageId).toList();
        assertThat(processed).containsExactlyInAnyOrderElementsOf(replyIds);
        assertThat(mail().messages(HUB, "Quarantine")).isEmpty();
        JsonNode tasks = rep().json("/api/cases/" + caseNo).get("tasks");
        assertThat(StreamSupport.stream(tasks.spliterator(), false).map(t -> t.get("no").asInt() + " " + t.get("status").asText()))
                .as("eighteen tasks, all answered, none twice").containsExactlyElementsOf(
                        HANDOFFS.keySet().stream().map(n -> n + " CLOSED").toList());
    }

    /**
     * Only the energization overran, charged to the customer center alone (production, marketing and construction had
     * answered their joint tasks); the paused scheme was answered in time.
     */
    void verifyAssessment() {
        assertThat(entries("2026-11")).as("the pause is not charged").isEmpty();
        // the miss was mailed once to the unit that owed the answer and once to the case's representative; nothing else missed
        for (String to : List.of(REP, CUSTOMER_CENTER)) {
            assertThat(mail().messages(to, "INBOX", m -> subject(m).contains("Deadline missed") && subject(m).contains(caseNo + " ")))
                    .extracting(Lifecycle::subject).as("missed-deadline notices to %s", to).singleElement().asString()
                    .contains("ENERGIZATION");
        }
        for (String answered : List.of(PRODUCTION, MARKETING, CONSTRUCTION)) {
            assertThat(mail().messages(answered, "INBOX", m -> subject(m).contains("Deadline missed")))
                    .as("%s answered its joint energization task in time", answered).isEmpty();
        }
        List<JsonNode> december = entries("2026-12");
        assertThat(december).singleElement().satisfies(e -> {
            assertThat(e.get("unit").asText()).isEqualTo("customer-center");
            assertThat(e.get("node").asText()).isEqualTo("ENERGIZATION");
            assertThat(e.get("dueAt").asText()).isEqualTo("2026-12-19T23:59:59+08:00");
            assertThat(e.get("deduction").decimalValue()).isPositive();
        });
    }

    // ------------------------------------------------------------------ steps

    final Map<Integer, MimeMessage> handoffs = new LinkedHashMap<>();

    /** A unit answers the hand-off of task n at a business time; by default the step is over when the task is closed. */
    void answer(String point, String unit, int taskNo, String localTime, String body, byte[]... attachments) {
        answer(point, unit, taskNo, localTime, body, () -> awaitTask(taskNo, "CLOSED"), attachments);
    }

    void answer(String point, String unit, int taskNo, String localTime, String body, Runnable effect, byte[]... attachments) {
        MimeMessage handoff = handoff(taskNo);
        assertThat(HANDOFFS.get(taskNo)[0]).isEqualTo(unit);
        clock().set(at(localTime));
        MimeMessage reply = Replies.reply(handoff, unit, HUB, body, attachments);
        replyIds.add(messageId(reply));
        step(point, () -> mail().send(unit, reply), effect);
    }

    MimeMessage handoff(int taskNo) {
        return handoffs.computeIfAbsent(taskNo, n -> mail().await((String) HANDOFFS.get(n)[0], "INBOX",
                MailClient.subjectContains("[" + caseNo + "/T" + n + "/"), WAIT));
    }

    void event(String point, String type, String timeField, String localTime, Map<String, Object> fields, Runnable effect) {
        clock().set(at(localTime));
        ObjectNode e = BillingClient.JSON.createObjectNode();
        e.put("type", type);
        e.put("messageId", UUID.randomUUID().toString());
        e.put("applicationNo", applicationNo);
        e.put(timeField, localTime + ":00+08:00");
        fields.forEach((k, v) -> e.set(k, BillingClient.JSON.valueToTree(v)));
        String body = e.toString();
        lastBillingMessage = body;
        step(point, () -> billing().sendEvent(body), effect);
    }

    /** Waits for the timeline (other than deadline notices) to grow: the event was taken. */
    Runnable progressed() {
        int before = progress();
        return () -> await().atMost(WAIT).until(() -> progress() > before);
    }

    int progress() {
        JsonNode timeline = rep().json("/api/cases/" + caseNo).get("timeline");
        int n = 0;
        for (JsonNode t : timeline) {
            if (!t.get("kind").asText().startsWith("DEADLINE")) {
                n++;
            }
        }
        return n;
    }

    void awaitStage(String stage) {
        await().atMost(WAIT).until(() -> stage.equals(rep().json("/api/cases/" + caseNo).get("stage").asText()));
    }

    void awaitTask(int taskNo, String status) {
        await().atMost(WAIT).until(() -> {
            for (JsonNode t : rep().json("/api/cases/" + caseNo).get("tasks")) {
                if (t.get("no").asInt() == taskNo) {
                    return status.equals(t.get("status").asText());
                }
            }
            return false;
        });
    }

    /** Whether the hub sends what it commits right now (a restart variant turns its relays off for a while). */
    boolean relaying() {
        return true;
    }

    /** Waits until billing has received {@code total} status messages about the application in all (later, if the hub's relays are off). */
    void statuses(int total) {
        if (!relaying()) {
            return;
        }
        long end = System.nanoTime() + WAIT.toNanos();
        while (statuses.size() < total && System.nanoTime() < end) {
            statuses.addAll(billing().awaitStatus(applicationNo, total - statuses.size(), Duration.ofSeconds(2)));
        }
        assertThat(statuses).as("status messages so far").hasSize(total);
    }

    /** The month's assessment entries of this case, as a representative reads them. */
    List<JsonNode> entries(String month) {
        List<JsonNode> mine = new ArrayList<>();
        rep().json("/api/reports/assessment?month=" + month).get("entries").forEach(e -> {
            if (caseNo.equals(e.get("caseNo").asText())) {
                mine.add(e);
            }
        });
        return mine;
    }

    /** The subject token of task n, computed as a unit could with the shared secret: [caseNo/Tn/first 12 hex of HMAC]. */
    String token(int taskNo) throws Exception {
        return token(caseNo + "/T" + taskNo, "[");
    }

    /** {@code prefix + signed + "/" + first 12 hex digits of HMAC-SHA256(signed) + "]"}. */
    static String token(String signed, String prefix) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return prefix + signed + "/" + HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8))).substring(0, 12) + "]";
    }

    static OffsetDateTime at(String localTime) {
        return OffsetDateTime.parse(localTime + ":00+08:00");
    }

    static String compact(String s) {
        return CustomerMailbox.compact(s);
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject() == null ? "" : m.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String messageId(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
