package cn.yekuo.hub.replies;

import cn.yekuo.hub.support.Replies;

import cn.yekuo.hub.handoff.HandoffMailComposer;
import cn.yekuo.hub.handoff.HandoffMails;
import cn.yekuo.hub.tokens.HandoffToken;
import static cn.yekuo.hub.replies.MailFixtures.CONSTRUCTION;
import static cn.yekuo.hub.replies.MailFixtures.CUSTOMER_CENTER;
import static cn.yekuo.hub.replies.MailFixtures.HUB;
import static cn.yekuo.hub.replies.MailFixtures.MARKETING;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;
import static cn.yekuo.hub.replies.MailFixtures.messageId;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.stage;
import static cn.yekuo.hub.replies.MailFixtures.subject;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.TestPorts;

/**
 * A case from application to energization driven by the units' mail alone (plus billing's formalities): every task
 * type's hand-off reaches the right unit with an authentic token and its reply keys, and a reply per task type, all in
 * Chinese keys or all in English keys, moves the workflow on. Over the hub's own embedded SMTP and IMAP.
 */
@HubTest
class UnitMailWorkflowTest {

    BillingClient billing;
    final MailClient mail = MailClient.ofTestHub();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    HandoffToken tokens;
    @Autowired
    ReceivedMails received;
    @org.springframework.beans.factory.annotation.Value("${yk.data-dir-absolute}")
    String dataDirectory;

    @BeforeEach
    void connect() {
        billing = new BillingClient(TestPorts.BROKER_URL);
    }

    @AfterEach
    void disconnect() {
        billing.close();
    }

    record Answers(String technical, String business, String designDone, String approved, String inspection,
                   String failed, String rectified, String completed, String energized) {
    }

    static final Answers CHINESE = new Answers(
            "结论：同意\n电源点：110kV东郊变 10kV 912东园线\n接入点：912东园线 #23杆 T接\n产权分界点：912东园线 #23杆 T接点刀闸下桩头\n说明：需新建 10kV 电缆 0.4km。\n" + Replies.TECHNICAL_DETAILS + "--\n生产技术部 张工\n",
            "结论：通过\n计量方式：高供高计\n电价类别：大工业用电\n资产移交：是\n业务费用：12800.00\n" + Replies.BUSINESS_DETAILS + Replies.ASSETS,
            "结论：完成\n说明：设计文件见附件\n",
            "结论：同意\n",
            "结论：申请中间检查\n",
            "结论：不合格\n缺陷：电缆沟未封堵；接地电阻超标\n",
            "结论：完成\n",
            "结论：竣工\n",
            "结论：完成\n电能表号：3301234567\n送电时间：2027-03-01 10:30\n");
    static final Answers ENGLISH = new Answers(
            "RESULT: APPROVED\nSOURCE: 110kV Dongjiao substation, 10kV line 912\nCONNECTION_POINT: line 912 pole 23\n"
                    + "OWNERSHIP_BOUNDARY: pole 23 switch, lower terminals\nApproved capacity: 1600 kVA\n"
                    + "Transformer: SCB13-800/10 x 2 x 800kVA\nConnection method: cable tee\nWorks: 新建 cable 0.4km\n",
            "Result: approved\nMETERING: HV supply, HV metering\nTARIFF: large industry\nASSET_TRANSFER: YES\nFEES: 12800.00\n"
                    + "Nature of use: industry\nMetering point: incoming cabinet\nCT ratio: 100/5\nAccuracy class: 0.5S\n"
                    + "Power factor: 0.90\nAsset: ring main unit|HXGN15-12|1|86000.00\n",
            "RESULT: DONE\nNOTE: design attached\n",
            "RESULT: APPROVED\n",
            "RESULT: INSPECTION_REQUESTED\n",
            "RESULT: FAILED\nDEFECTS: cable trench not sealed; earthing resistance too high\n",
            "RESULT: DONE\n",
            "RESULT: COMPLETED\n",
            "RESULT: DONE\nMETER_NO: 3301234567\nENERGIZED_AT: 2027-03-01 10:30\n");

    @ParameterizedTest(name = "replies with {0} keys")
    @ValueSource(strings = {"Chinese", "English"})
    void a_case_goes_from_scheme_to_energized_by_unit_mail(String language) throws Exception {
        Answers a = language.equals("Chinese") ? CHINESE : ENGLISH;
        String[] created = MailFixtures.newCase(billing, jdbc);
        String applicationNo = created[0];
        String caseNo = created[1];

        MimeMessage t1 = handoff(PRODUCTION, caseNo, 1, TaskKind.SCHEME_TECHNICAL);
        MimeMessage t2 = handoff(MARKETING, caseNo, 2, TaskKind.SCHEME_BUSINESS);
        answer(t1, PRODUCTION, a.technical());
        awaitClosed(caseNo, 1);
        assertThat(stage(jdbc, caseNo)).isEqualTo("SCHEME");
        answer(t2, MARKETING, a.business());
        awaitClosed(caseNo, 2);

        MimeMessage t3 = handoff(CONSTRUCTION, caseNo, 3, TaskKind.DESIGN);
        assertThat(MailClient.textOf(t3)).as("the design hand-off carries the approved scheme").contains("12800.00");
        assertThat(attachmentNames(t3)).as("and the scheme reply letter as PDF").containsExactly(caseNo + "-供电方案答复函.pdf");
        byte[] design = "%PDF-1.4 design drawing".getBytes();
        send(CONSTRUCTION, reply(mail, t3, CONSTRUCTION, a.designDone(), design));
        awaitClosed(caseNo, 3);

        MimeMessage t4 = handoff(PRODUCTION, caseNo, 4, TaskKind.DESIGN_REVIEW);
        assertThat(attachmentNames(t4)).as("the review gets the scheme and the design files construction sent")
                .containsExactly(caseNo + "-供电方案答复函.pdf", "设计图纸-1.pdf");
        answer(t4, PRODUCTION, a.approved());
        MimeMessage t5 = handoff(CONSTRUCTION, caseNo, 5, TaskKind.CONSTRUCTION);
        assertThat(stage(jdbc, caseNo)).isEqualTo("CONSTRUCTION");
        answer(t5, CONSTRUCTION, a.inspection());
        MimeMessage t6 = handoff(PRODUCTION, caseNo, 6, TaskKind.MID_INSPECTION);
        assertThat(taskStatus(jdbc, caseNo, 5)).as("construction stays open after INSPECTION_REQUESTED").isEqualTo("OPEN");
        // completion while the mid inspection is open: a valid reply the workflow refuses is quarantined too
        MimeMessage early = reply(mail, t5, CONSTRUCTION, a.completed());
        send(CONSTRUCTION, early);
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from unit_mail where message_id = ?",
                Integer.class, messageId(early)) == 1);
        assertThat(jdbc.queryForObject("select reasons from unit_mail where message_id = ?", String.class, messageId(early)))
                .contains("REFUSED_BY_WORKFLOW");
        assertThat(taskStatus(jdbc, caseNo, 5)).isEqualTo("OPEN");
        answer(t6, PRODUCTION, a.failed());
        MimeMessage t7 = handoff(CONSTRUCTION, caseNo, 7, TaskKind.RECTIFICATION);
        assertThat(MailClient.textOf(t7)).as("the rectification lists the defects")
                .contains(language.equals("Chinese") ? "电缆沟未封堵" : "cable trench not sealed");
        answer(t7, CONSTRUCTION, a.rectified());
        MimeMessage t8 = handoff(PRODUCTION, caseNo, 8, TaskKind.MID_INSPECTION);
        answer(t8, PRODUCTION, a.approved());
        awaitClosed(caseNo, 8);
        answer(t5, CONSTRUCTION, a.completed());
        awaitClosed(caseNo, 5);

        // the joint acceptance and energization: every unit answers its own hand-off
        MimeMessage t9 = handoff(PRODUCTION, caseNo, 9, TaskKind.COMPLETION_ACCEPTANCE);
        MimeMessage t10 = handoff(MARKETING, caseNo, 10, TaskKind.COMPLETION_ACCEPTANCE_MARKETING);
        assertThat(stage(jdbc, caseNo)).isEqualTo("ACCEPTANCE");
        answer(t9, PRODUCTION, a.approved());
        answer(t10, MARKETING, a.approved());
        await().atMost(WAIT).until(() -> stage(jdbc, caseNo).equals("CONTRACT"));
        MailFixtures.formalities(billing, applicationNo);

        MimeMessage t11 = handoff(CUSTOMER_CENTER, caseNo, 11, TaskKind.ENERGIZATION);
        answer(handoff(PRODUCTION, caseNo, 12, TaskKind.ENERGIZATION_PRODUCTION), PRODUCTION, a.rectified());
        answer(handoff(MARKETING, caseNo, 13, TaskKind.ENERGIZATION_MARKETING), MARKETING, a.rectified());
        answer(handoff(CONSTRUCTION, caseNo, 14, TaskKind.ENERGIZATION_CONSTRUCTION), CONSTRUCTION, a.rectified());
        answer(t11, CUSTOMER_CENTER, a.energized());
        await().atMost(WAIT).until(() -> stage(jdbc, caseNo).equals("ENERGIZED"));

        // every reply was taken once, kept raw with the case, and moved to Processed
        List<Map<String, Object>> mails = jdbc.queryForList(
                "select outcome, folder, raw_path, raw_sha256 from unit_mail where case_no = ? and outcome = 'PROCESSED'", caseNo);
        assertThat(mails).hasSize(15).allSatisfy(m -> {
            assertThat(m.get("OUTCOME")).isEqualTo("PROCESSED");
            assertThat(m.get("FOLDER")).isEqualTo("Processed");
            assertThat(Files.exists(dataDir().resolve((String) m.get("RAW_PATH")))).as("raw mail kept").isTrue();
        });
        long caseId = jdbc.queryForObject("select id from yk_case where case_no = ?", Long.class, caseNo);
        List<ReceivedMails.StoredAttachment> attachments = received.attachmentsOf(caseId);
        assertThat(attachments).singleElement().satisfies(att -> {
            assertThat(att.fileName()).isEqualTo("设计图纸-1.pdf");
            assertThat(received.readAttachment(att.id())).isEqualTo(design);
            assertThat(att.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(design)));
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(mail.messages(HUB, "Processed", MailClient.subjectContains(caseNo)))
                .hasSize(15));
        assertThat(mail.messages(HUB, "INBOX", MailClient.subjectContains(caseNo))).as("nothing left unread").isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from case_timeline t join yk_case c on c.id = t.case_id "
                + "where c.case_no = ? and t.kind = 'TASK_REPLY'", Integer.class, caseNo)).isEqualTo(15);
    }

    /** The hand-off of task n: at the unit's address, from the hub, authentic token, the task's reply keys. */
    /** File names of a mail's attachments, in order. */
    static java.util.List<String> attachmentNames(MimeMessage m) throws Exception {
        java.util.List<String> names = new java.util.ArrayList<>();
        if (m.getContent() instanceof jakarta.mail.Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                var part = multipart.getBodyPart(i);
                if (jakarta.mail.Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) && part.getFileName() != null) {
                    names.add(jakarta.mail.internet.MimeUtility.decodeText(part.getFileName()));
                }
            }
        }
        return names;
    }

    private MimeMessage handoff(String unit, String caseNo, int taskNo, TaskKind kind) throws Exception {
        MimeMessage m = awaitHandoff(mail, unit, caseNo, taskNo);
        String token = tokens.tokenFor(caseNo, taskNo);
        assertThat(subject(m)).startsWith(token).contains(kind.titleZh(), kind.titleEn());
        assertThat(tokens.check(subject(m)).isAuthentic()).isTrue();
        assertThat(((InternetAddress) m.getFrom()[0]).getAddress()).isEqualTo(HUB);
        assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
        assertThat(messageId(m)).isEqualTo("<" + HandoffMails.outboxIdOf(caseNo, taskNo) + "@yekuo.local>");
        String text = MailClient.textOf(m);
        for (String line : HandoffMailComposer.templateLines(kind)) {
            assertThat(text).as("reply template of %s", kind).contains(line);
        }
        assertThat(text).contains("答复期限 Due:");
        return m;
    }

    private java.nio.file.Path dataDir() {
        return java.nio.file.Path.of(dataDirectory);
    }

    private void answer(MimeMessage handoff, String from, String body) {
        send(from, reply(mail, handoff, from, body));
    }

    private void send(String from, MimeMessage message) {
        mail.send(from, message);
    }

    private void awaitClosed(String caseNo, int taskNo) {
        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, taskNo)));
    }
}
