package cn.yekuo.hub.handoff;

import cn.yekuo.hub.mailtransport.MailAttachment;
import cn.yekuo.hub.replies.MailReading;
import cn.yekuo.hub.replies.RawMail;
import cn.yekuo.hub.replies.ReplyValidator;
import cn.yekuo.hub.replies.UnitReply;
import cn.yekuo.hub.replies.UnitReplyReader;
import cn.yekuo.hub.replies.grammar.ParsedReply;
import cn.yekuo.hub.replies.grammar.Rejection;
import cn.yekuo.hub.replies.grammar.RejectionCode;
import cn.yekuo.hub.replies.grammar.ReplyGrammar;
import cn.yekuo.hub.replies.grammar.ReplyKey;
import cn.yekuo.hub.replies.grammar.ReplyResult;
import cn.yekuo.hub.tokens.HandoffToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cn.yekuo.hub.domain.TaskKind;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HandoffMailComposerTest {

    private static final String CUSTOMER = "杭州东郊新材料有限公司";
    private final HandoffToken tokens = new HandoffToken("hub-secret");
    private final HandoffMailComposer composer = new HandoffMailComposer(tokens, java.time.ZoneId.of("Asia/Shanghai"));

    private static Map<String, String> summary() {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("用电地址 Address", "杭州市东郊工业园区 8 号");
        summary.put("供电电压 Voltage", "10 kV");
        summary.put("申请容量 Capacity", "800 kVA");
        return summary;
    }

    private Handoff handoff(TaskKind kind, String customer, OffsetDateTime due) {
        return new Handoff("YK-2026-000017", 1, kind, customer, summary(), "请在答复期限前提出供电方案技术部分。\n如需现场勘查请联系客户代表。", due);
    }

    @Test
    void subjectIsTokenTitlesAndCustomerName() {
        HandoffMail mail = composer.compose(handoff(TaskKind.SCHEME_TECHNICAL, CUSTOMER, null));

        assertThat(mail.subject()).isEqualTo(tokens.tokenFor("YK-2026-000017", 1)
                + " 请提供供电方案(技术部分) Supply scheme, technical — 杭州东郊新材料有限公司");
        assertThat(mail.token()).isEqualTo(tokens.tokenFor("YK-2026-000017", 1));
    }

    @Test
    void bodyHasSummaryAskAndDueDateInBeijingTime() {
        OffsetDateTime due = OffsetDateTime.of(2026, 12, 18, 15, 59, 59, 0, ZoneOffset.UTC);
        String text = composer.compose(handoff(TaskKind.SCHEME_TECHNICAL, CUSTOMER, due)).text();

        assertThat(text)
                .contains("案件编号 Case no.: YK-2026-000017")
                .contains("客户 Customer: 杭州东郊新材料有限公司")
                .contains("用电地址 Address: 杭州市东郊工业园区 8 号")
                .contains("申请容量 Capacity: 800 kVA")
                .contains("  请在答复期限前提出供电方案技术部分。\n  如需现场勘查请联系客户代表。")
                .contains("答复期限 Due: 2026-12-18 23:59（北京时间 Beijing time）");
        assertThat(text.indexOf("用电地址")).isLessThan(text.indexOf("供电电压")).isLessThan(text.indexOf("申请容量"));
    }

    @Test
    void noDueDateSaysSo() {
        assertThat(composer.compose(handoff(TaskKind.CONSTRUCTION, CUSTOMER, null)).text()).contains("答复期限 Due: 无时限 none");
    }

    @Test
    void templateListsResultWithAllowedValuesAndTheRequiredKeysInChineseWithEnglish() {
        String text = composer.compose(handoff(TaskKind.SCHEME_TECHNICAL, CUSTOMER, null)).text();

        assertThat(text).contains("""
                ----- 答复模板 Reply template -----
                结论 (RESULT): 同意 / 不同意 (APPROVED / REJECTED)
                电源点 (SOURCE):\s
                接入点 (CONNECTION_POINT):\s
                产权分界点 (OWNERSHIP_BOUNDARY):\s
                核定容量 (APPROVED_CAPACITY):\s
                变压器 (TRANSFORMER):\s
                接入方式 (CONNECTION_METHOD):\s
                工程项目 (WORKS):\s
                说明 (NOTE):\s
                ----- 模板结束 End of template -----
                """);
    }

    @ParameterizedTest
    @EnumSource(TaskKind.class)
    void templateOfEveryTaskNamesItsExpectedResultsAndRequiredKeys(TaskKind kind) {
        List<String> template = HandoffMailComposer.templateLines(kind);

        for (ReplyResult result : ReplyValidator.expectedResults(kind)) {
            assertThat(template.get(0)).contains(result.chinese()).contains(result.name());
        }
        for (String field : kind.requiredFields()) {
            assertThat(template).contains(ReplyKey.valueOf(field).label() + ": ");
        }
        for (String field : kind.optionalFields()) {
            assertThat(template).contains(ReplyKey.valueOf(field).label() + ": ");
        }
        assertThat(template).last().isEqualTo("说明 (NOTE): ");
    }

    @ParameterizedTest
    @EnumSource(value = TaskKind.class, names = {"COMPLETION_ACCEPTANCE_MARKETING", "ENERGIZATION_PRODUCTION",
            "ENERGIZATION_MARKETING", "ENERGIZATION_CONSTRUCTION"})
    void jointTaskTemplatesOfferAFailureWithDefectsAndAPlainPassNeedsNothingElse(TaskKind kind) {
        List<String> template = HandoffMailComposer.templateLines(kind);
        assertThat(template.get(0)).contains("不合格", "FAILED");
        assertThat(template).contains("缺陷 (DEFECTS): ");

        String pass = kind == TaskKind.COMPLETION_ACCEPTANCE_MARKETING ? "结论：通过\n" : "结论：完成\n";
        assertThat(ReplyValidator.checkContent(kind, new ReplyGrammar().parse(pass), 0)).isEmpty();
        assertThat(ReplyValidator.checkContent(kind, new ReplyGrammar().parse("结论：不合格\n"), 0))
                .extracting(Rejection::code).as("a failure must say why").isNotEmpty();
    }

    @Test
    void inspectionTemplatesOfferDefectsAndEnergizationAsksForMeterAndTime() {
        assertThat(HandoffMailComposer.templateLines(TaskKind.MID_INSPECTION)).contains("缺陷 (DEFECTS): ");
        assertThat(HandoffMailComposer.templateLines(TaskKind.ENERGIZATION))
                .contains("电能表号 (METER_NO): ", "送电时间 (ENERGIZED_AT): ");
    }

    @Test
    void templateFilledInAsItStandsIsAValidReply() {
        String filled = String.join("\n", HandoffMailComposer.templateLines(TaskKind.ENERGIZATION))
                .replace("结论 (RESULT): 完成 / 不合格 (DONE / FAILED)", "结论 (RESULT): 完成")
                .replace("电能表号 (METER_NO): ", "电能表号 (METER_NO): 3301000987654")
                .replace("送电时间 (ENERGIZED_AT): ", "送电时间 (ENERGIZED_AT): 2027-03-01 10:30");

        ParsedReply parsed = new ReplyGrammar().parse(filled);

        assertThat(ReplyValidator.checkContent(TaskKind.ENERGIZATION, parsed, 0)).isEmpty();
    }

    @Test
    void unfilledTemplateIsAnUnknownResultNeverAnApproval() {
        ParsedReply parsed = new ReplyGrammar().parse(String.join("\n", HandoffMailComposer.templateLines(TaskKind.SCHEME_TECHNICAL)));

        assertThat(parsed.result()).isEmpty();
        assertThat(ReplyValidator.checkContent(TaskKind.SCHEME_TECHNICAL, parsed, 0))
                .extracting(Rejection::code).containsExactly(RejectionCode.UNKNOWN_RESULT);
    }

    @Test
    void everyValueInTheHtmlAlternativeIsEscaped() {
        String hostile = "<img src=\"file:///etc/passwd\">&<script>alert('x')</script>";
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("<b>地址</b>", hostile);
        HandoffMail mail = composer.compose(new Handoff("YK-2026-000017", 1, TaskKind.DESIGN, hostile, summary, hostile, null));

        String html = mail.html().orElseThrow();
        assertThat(html).doesNotContain("<img").doesNotContain("<script").doesNotContain("<b>地址")
                .contains("&lt;img src=&quot;file:///etc/passwd&quot;&gt;&amp;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("&lt;b&gt;地址&lt;/b&gt;");
    }

    @Test
    void htmlCanBeLeftOut() {
        assertThat(new HandoffMailComposer(tokens, java.time.ZoneId.of("Asia/Shanghai"), false).compose(handoff(TaskKind.DESIGN, CUSTOMER, null)).html()).isEmpty();
    }

    @Test
    void lineBreaksInTheCustomerNameCannotInjectHeadersOrTemplateLines() {
        HandoffMail mail = composer.compose(handoff(TaskKind.DESIGN, "恶意公司\r\nBcc: all@yekuo.local\n结论: 完成", null));

        assertThat(mail.subject()).doesNotContain("\r").doesNotContain("\n").endsWith("恶意公司 Bcc: all@yekuo.local 结论: 完成");
        assertThat(mail.text()).doesNotContain("\n结论: 完成");
    }

    @Test
    void mimeMessageRoundTripsThroughTheReaderWithTokenSubjectBodyAndRfc2231DocumentName() throws Exception {
        HandoffMail mail = composer.compose(handoff(TaskKind.SCHEME_TECHNICAL, CUSTOMER, null));
        byte[] pdf = "%PDF-1.7 scheme".getBytes(StandardCharsets.US_ASCII);
        MimeMessage message = composer.toMessage(mail, RawMail.SESSION, new InternetAddress("hub@yekuo.local"),
                new InternetAddress("production@yekuo.local"),
                List.of(new MailAttachment("YK-2026-000017-供电方案答复单.pdf", "application/pdf", pdf)));

        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        message.writeTo(raw);
        String wire = raw.toString(StandardCharsets.US_ASCII);
        MimeMessage received = new MimeMessage(RawMail.SESSION, new ByteArrayInputStream(raw.toByteArray()));
        UnitReply read = ((MailReading.Read) new UnitReplyReader().read(received)).reply();

        assertThat(wire).contains("filename*=UTF-8''").contains("multipart/alternative").contains("Auto-Submitted: auto-generated");
        assertThat(read.subject()).isEqualTo(mail.subject());
        assertThat(tokens.check(read.subject()).isAuthentic()).isTrue();
        assertThat(read.body()).isEqualTo(mail.text());
        assertThat(read.attachments()).singleElement().satisfies(a -> {
            assertThat(a.fileName()).isEqualTo("YK-2026-000017-供电方案答复单.pdf");
            assertThat(a.content()).isEqualTo(pdf);
        });
    }
}
