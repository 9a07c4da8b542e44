package cn.yekuo.hub.replies;

import cn.yekuo.hub.support.Replies;
import cn.yekuo.hub.support.BillingClient;

import cn.yekuo.hub.replies.grammar.ParsedReply;
import cn.yekuo.hub.replies.grammar.Rejection;
import cn.yekuo.hub.replies.grammar.RejectionCode;
import cn.yekuo.hub.replies.grammar.ReplyGrammar;
import cn.yekuo.hub.replies.grammar.ReplyGrammarTest;
import cn.yekuo.hub.replies.grammar.ReplyKey;
import cn.yekuo.hub.replies.grammar.ReplyResult;
import cn.yekuo.hub.tokens.HandoffToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import cn.yekuo.hub.domain.TaskKind;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ReplyValidatorTest {

    private static final String CASE = "YK-2026-000017";
    private final HandoffToken tokens = new HandoffToken("hub-secret");
    private final Map<Integer, TaskDirectory.AddressedTask> tasks = new HashMap<>();
    /** Tasks opened before the cut-over to 12-hex tokens. */
    private final Set<Integer> beforeCutover = new java.util.HashSet<>();
    private final ReplyValidator validator = new ReplyValidator(tokens, new TaskDirectory() {
        @Override
        public Optional<AddressedTask> task(String caseNo, int taskNo) {
            return caseNo.equals(CASE) ? Optional.ofNullable(tasks.get(taskNo)) : Optional.empty();
        }

        @Override
        public boolean acceptsLegacyToken(String caseNo, int taskNo) {
            return caseNo.equals(CASE) && beforeCutover.contains(taskNo);
        }
    });

    private void open(int taskNo, TaskKind kind) {
        tasks.put(taskNo, new TaskDirectory.AddressedTask(kind, true,
                Set.of(kind.unit().code() + "@yekuo.local", "Zhang.Gong@Production.yekuo.local"), kind.unit().chinese()));
    }

    private Verdict validate(int taskNo, String from, String body) {
        return validate(RawMail.plainReply(from, RawMail.utf8Subject("回复: " + tokens.tokenFor(CASE, taskNo) + " 答复"),
                body, RawMail.GBK, "GBK"));
    }

    private Verdict validate(MimeMessage message) {
        MailReading reading = new UnitReplyReader().read(message);
        assertThat(reading).isInstanceOf(MailReading.Read.class);
        return validator.validate(((MailReading.Read) reading).reply());
    }

    private static List<RejectionCode> codes(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Verdict.Quarantined.class);
        return ((Verdict.Quarantined) verdict).reasons().stream().map(Rejection::code).toList();
    }

    static List<Arguments> chineseRepliesPerTask() {
        return List.of(
                Arguments.of(TaskKind.SCHEME_TECHNICAL, ReplyGrammarTest.CONTRACT_EXAMPLE, ReplyResult.APPROVED),
                Arguments.of(TaskKind.SCHEME_BUSINESS, """
                        结论：同意
                        计量方式：高供高计
                        电价类别：大工业用电
                        资产移交：否
                        业务费用：12,800.00 元
                        """ + Replies.BUSINESS_DETAILS, ReplyResult.APPROVED),
                Arguments.of(TaskKind.DESIGN, "结论：完成\n说明：设计文件见附件\n", ReplyResult.DONE),
                Arguments.of(TaskKind.DESIGN_REVIEW, "结论：不同意\n缺陷：开关柜选型不符；接地设计缺失\n", ReplyResult.REJECTED),
                Arguments.of(TaskKind.CONSTRUCTION, "结论：申请中间检查\n说明：电缆沟已完工待查\n", ReplyResult.INSPECTION_REQUESTED),
                Arguments.of(TaskKind.MID_INSPECTION, "结论：不合格\n缺陷：电缆沟未封堵\n", ReplyResult.FAILED),
                Arguments.of(TaskKind.RECTIFICATION, "结论：完成\n", ReplyResult.DONE),
                Arguments.of(TaskKind.COMPLETION_ACCEPTANCE, "结论：通过\n", ReplyResult.APPROVED),
                Arguments.of(TaskKind.COMPLETION_ACCEPTANCE_MARKETING, "结论：不合格\n缺陷：计量柜未加封\n", ReplyResult.FAILED),
                Arguments.of(TaskKind.ENERGIZATION, "结论：完成\n电能表号：3301000987654\n送电时间：2027-03-01 10:30\n", ReplyResult.DONE),
                Arguments.of(TaskKind.ENERGIZATION_PRODUCTION, "结论：完成\n", ReplyResult.DONE),
                Arguments.of(TaskKind.ENERGIZATION_MARKETING, "结论：不合格\n缺陷：计量二次回路接线错误\n", ReplyResult.FAILED),
                Arguments.of(TaskKind.ENERGIZATION_CONSTRUCTION, "结论：完成\n说明：已配合送电\n", ReplyResult.DONE));
    }

    @ParameterizedTest
    @MethodSource("chineseRepliesPerTask")
    void aReplyInChineseKeysIsAcceptedForEachTaskKind(TaskKind kind, String body, ReplyResult result) {
        open(1, kind);
        MimeMessage message = kind == TaskKind.DESIGN ? designReplyWithDrawing(body) : null;

        Verdict verdict = message != null ? validate(message) : validate(1, kind.unit().code() + "@yekuo.local", body);

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Accepted.class, accepted -> {
            assertThat(accepted.kind()).isEqualTo(kind);
            assertThat(accepted.token().caseNo()).isEqualTo(CASE);
            assertThat(accepted.token().taskNo()).isEqualTo(1);
            assertThat(accepted.parsed().result()).contains(result);
        });
    }

    @Test
    void everyTaskKindHasACaseAbove() {
        assertThat(chineseRepliesPerTask()).extracting(a -> a.get()[0]).containsExactlyInAnyOrder((Object[]) TaskKind.values());
    }

    @Test
    void aReplyInEnglishKeysIsAccepted() {
        open(2, TaskKind.SCHEME_BUSINESS);

        Verdict verdict = validate(2, "marketing@yekuo.local", """
                RESULT: APPROVED
                METERING: high-voltage supply, high-voltage metering
                Tariff: large industry
                asset_transfer: YES
                FEES: 12800.00
                Nature of use: industry
                Metering point: 10kV incoming metering cabinet
                CT ratio: 150/5
                Accuracy class: 0.5S
                Power factor: 0.9
                Asset: ring main unit | HXGN15-12 | 1 | 86000.00
                Asset: cable | YJV22-3x70 | 320 m | 54,000.00
                NOTE: none
                """);

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Accepted.class, accepted -> {
            assertThat(accepted.parsed().text(ReplyKey.ASSET)).contains(
                    "ring main unit | HXGN15-12 | 1 | 86000.00\ncable | YJV22-3x70 | 320 m | 54,000.00");
            assertThat(accepted.parsed().assetTransfer()).contains(true);
            assertThat(accepted.parsed().fees()).contains(new BigDecimal("12800.00"));
        });
    }

    @Test
    void energizationReplyCarriesMeterNumberAndLocalTime() {
        open(9, TaskKind.ENERGIZATION);

        Verdict verdict = validate(9, "customer-center@yekuo.local", "结论：完成\n电能表号：3301000987654\n送电时间：2027-03-01 10:30\n");

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Accepted.class, accepted -> {
            assertThat(accepted.parsed().text(ReplyKey.METER_NO)).contains("3301000987654");
            assertThat(accepted.parsed().energizedAt()).contains(LocalDateTime.of(2027, 3, 1, 10, 30));
        });
    }

    @Test
    void senderOnTheAllowListMatchesWhateverTheCase() {
        open(1, TaskKind.RECTIFICATION);
        assertThat(validate(1, "zhang.gong@production.YEKUO.local", "结论：完成")).isInstanceOf(Verdict.Accepted.class);
    }

    // ---- one test per rejection code ----

    @Test
    void noTokenInTheSubject() {
        open(1, TaskKind.RECTIFICATION);
        Verdict verdict = validate(RawMail.plainReply("construction@yekuo.local", RawMail.utf8Subject("回复: 整改完成"),
                "结论：完成", StandardCharsets.UTF_8, "UTF-8"));
        assertThat(codes(verdict)).containsExactly(RejectionCode.NO_TOKEN);
    }

    @Test
    void returnVisitTokenOnAUnitReplyIsNoTaskToken() {
        String rv = tokens.returnVisitTokenFor(java.time.YearMonth.of(2026, 11), "dongjiao");
        Verdict verdict = validate(RawMail.plainReply("construction@yekuo.local", RawMail.utf8Subject("回复: " + rv),
                "结论：完成", StandardCharsets.UTF_8, "UTF-8"));
        assertThat(codes(verdict)).containsExactly(RejectionCode.NO_TOKEN);
        assertThat(((Verdict.Quarantined) verdict).reasons().get(0).messageEn()).contains("return-visit");
    }

    @Test
    void forgedTokenNamesTheToken() {
        open(1, TaskKind.RECTIFICATION);
        Verdict verdict = validate(RawMail.plainReply("construction@yekuo.local",
                RawMail.utf8Subject("回复: [YK-2026-000017/T1/000000] 整改"), "结论：完成", StandardCharsets.UTF_8, "UTF-8"));

        assertThat(codes(verdict)).containsExactly(RejectionCode.FORGED_TOKEN);
        assertThat(((Verdict.Quarantined) verdict).reasons().get(0).messageZh()).contains("[YK-2026-000017/T1/000000]");
    }

    @Test
    void authenticTokenOfAnUnknownCaseOrTask() {
        assertThat(codes(validate(7, "construction@yekuo.local", "结论：完成"))).containsExactly(RejectionCode.UNKNOWN_CASE);
    }

    @Test
    void senderNotOnTheUnitsAllowList() {
        open(1, TaskKind.SCHEME_TECHNICAL);
        Verdict verdict = validate(1, "someone@qq.com", ReplyGrammarTest.CONTRACT_EXAMPLE);

        assertThat(codes(verdict)).containsExactly(RejectionCode.SENDER_NOT_ALLOWED);
        assertThat(((Verdict.Quarantined) verdict).reasons().get(0).messageZh()).contains("someone@qq.com").contains("生产技术部");
    }

    @Test
    void replyToAClosedTask() {
        tasks.put(1, new TaskDirectory.AddressedTask(TaskKind.RECTIFICATION, false, Set.of("construction@yekuo.local"), "实业公司"));
        assertThat(codes(validate(1, "construction@yekuo.local", "结论：完成"))).containsExactly(RejectionCode.TASK_CLOSED);
    }

    @Test
    void anOldSixHexTokenOfATaskOpenedBeforeTheCutOverIsAcceptedWhileItsTaskIsOpenAndRefusedOnceClosed() {
        MimeMessage reply = legacyReply(1);

        open(1, TaskKind.RECTIFICATION);
        beforeCutover.add(1);
        assertThat(validate(reply)).isInstanceOf(Verdict.Accepted.class);

        tasks.put(1, new TaskDirectory.AddressedTask(TaskKind.RECTIFICATION, false, Set.of("construction@yekuo.local"), "实业公司"));
        assertThat(codes(validate(reply))).containsExactly(RejectionCode.TASK_CLOSED);
    }

    @Test
    void anOldSixHexTokenOfATaskOpenedAfterTheCutOverIsRefusedAsForgedEvenWhileOpen() {
        open(1, TaskKind.RECTIFICATION);

        Verdict verdict = validate(legacyReply(1));

        assertThat(codes(verdict)).containsExactly(RejectionCode.FORGED_TOKEN);
        assertThat(((Verdict.Quarantined) verdict).reasons().get(0).messageZh()).contains("旧式短编号");
    }

    /** A reply whose token has the first 6 of the 12 hex digits: as written before tokens grew. */
    private MimeMessage legacyReply(int taskNo) {
        String legacy = tokens.tokenFor(CASE, taskNo);
        legacy = legacy.substring(0, legacy.length() - 7) + "]";
        return RawMail.plainReply("construction@yekuo.local", RawMail.utf8Subject("回复: " + legacy + " 整改"),
                "结论：完成", RawMail.GBK, "GBK");
    }

    @Test
    void aSubjectWithTwoDifferentTokensIsRefusedEvenWhenOneIsRight() {
        open(1, TaskKind.RECTIFICATION);
        MimeMessage reply = RawMail.plainReply("construction@yekuo.local", RawMail.utf8Subject("回复: "
                + tokens.tokenFor(CASE, 1) + " [" + CASE + "/T1/0123456789ab]"), "结论：完成", RawMail.GBK, "GBK");

        assertThat(codes(validate(reply))).containsExactly(RejectionCode.SEVERAL_TOKENS);
    }

    @Test
    void missingRequiredFieldsAreEachNamed() {
        open(1, TaskKind.SCHEME_TECHNICAL);
        Verdict verdict = validate(1, "production@yekuo.local", "结论：同意\n电源点：110kV东郊变\n");

        assertThat(((Verdict.Quarantined) verdict).reasons()).extracting(Rejection::messageZh)
                .containsExactly("答复缺少必填项“接入点”（CONNECTION_POINT）。", "答复缺少必填项“产权分界点”（OWNERSHIP_BOUNDARY）。",
                        "答复缺少必填项“核定容量”（APPROVED_CAPACITY）。", "答复缺少必填项“变压器”（TRANSFORMER）。",
                        "答复缺少必填项“接入方式”（CONNECTION_METHOD）。", "答复缺少必填项“工程项目”（WORKS）。");
    }

    @Test
    void requiredFieldsAreNotNeededWithANegativeResult() {
        open(1, TaskKind.SCHEME_TECHNICAL);
        assertThat(validate(1, "production@yekuo.local", "结论：不同意\n说明：容量不足")).isInstanceOf(Verdict.Accepted.class);
    }

    @Test
    void missingResultIsAMissingField() {
        open(1, TaskKind.RECTIFICATION);
        assertThat(codes(validate(1, "construction@yekuo.local", "说明：已整改"))).containsExactly(RejectionCode.MISSING_FIELD);
    }

    @Test
    void failedInspectionWithoutDefectsMissesDefects() {
        open(1, TaskKind.MID_INSPECTION);
        Verdict verdict = validate(1, "production@yekuo.local", "结论：不合格\n");
        assertThat(codes(verdict)).containsExactly(RejectionCode.MISSING_FIELD);
        assertThat(((Verdict.Quarantined) verdict).reasons().get(0).messageEn()).contains("DEFECTS");
    }

    @Test
    void designDoneWithoutAttachedFilesMissesTheDesignFiles() {
        open(1, TaskKind.DESIGN);
        Verdict verdict = validate(1, "construction@yekuo.local", "结论：完成\n");
        assertThat(codes(verdict)).containsExactly(RejectionCode.MISSING_FIELD);
        assertThat(((Verdict.Quarantined) verdict).reasons().get(0).messageEn()).contains("design files");
    }

    @Test
    void unknownResultValue() {
        open(1, TaskKind.SCHEME_TECHNICAL);
        Verdict verdict = validate(1, "production@yekuo.local", "结论：原则同意\n");

        assertThat(codes(verdict)).containsExactly(RejectionCode.UNKNOWN_RESULT);
        assertThat(((Verdict.Quarantined) verdict).reasons().get(0).messageZh()).contains("原则同意");
    }

    @Test
    void resultTheTaskDoesNotExpectNamesTheAllowedOnes() {
        open(1, TaskKind.SCHEME_TECHNICAL);
        Verdict verdict = validate(1, "production@yekuo.local", "结论：竣工\n");

        assertThat(codes(verdict)).containsExactly(RejectionCode.RESULT_NOT_EXPECTED);
        Rejection reason = ((Verdict.Quarantined) verdict).reasons().get(0);
        assertThat(reason.messageZh()).contains("竣工").contains("同意、不同意");
        assertThat(reason.messageEn()).contains("COMPLETED").contains("APPROVED, REJECTED");
    }

    @ParameterizedTest
    @EnumSource(TaskKind.class)
    void eachTaskAcceptsExactlyTheResultsOfTheContractTable(TaskKind kind) {
        Map<TaskKind, Set<ReplyResult>> contract = Map.ofEntries(
                Map.entry(TaskKind.SCHEME_TECHNICAL, Set.of(ReplyResult.APPROVED, ReplyResult.REJECTED)),
                Map.entry(TaskKind.SCHEME_BUSINESS, Set.of(ReplyResult.APPROVED, ReplyResult.REJECTED)),
                Map.entry(TaskKind.DESIGN, Set.of(ReplyResult.DONE)),
                Map.entry(TaskKind.DESIGN_REVIEW, Set.of(ReplyResult.APPROVED, ReplyResult.REJECTED)),
                Map.entry(TaskKind.CONSTRUCTION, Set.of(ReplyResult.INSPECTION_REQUESTED, ReplyResult.COMPLETED)),
                Map.entry(TaskKind.MID_INSPECTION, Set.of(ReplyResult.APPROVED, ReplyResult.FAILED)),
                Map.entry(TaskKind.RECTIFICATION, Set.of(ReplyResult.DONE)),
                Map.entry(TaskKind.COMPLETION_ACCEPTANCE, Set.of(ReplyResult.APPROVED, ReplyResult.FAILED)),
                Map.entry(TaskKind.COMPLETION_ACCEPTANCE_MARKETING, Set.of(ReplyResult.APPROVED, ReplyResult.FAILED)),
                Map.entry(TaskKind.ENERGIZATION, Set.of(ReplyResult.DONE, ReplyResult.FAILED)),
                Map.entry(TaskKind.ENERGIZATION_PRODUCTION, Set.of(ReplyResult.DONE, ReplyResult.FAILED)),
                Map.entry(TaskKind.ENERGIZATION_MARKETING, Set.of(ReplyResult.DONE, ReplyResult.FAILED)),
                Map.entry(TaskKind.ENERGIZATION_CONSTRUCTION, Set.of(ReplyResult.DONE, ReplyResult.FAILED)));
        for (ReplyResult result : ReplyResult.values()) {
            ParsedReply parsed = new ReplyGrammar().parse("结论：" + result.name() + "\n缺陷：一项\n");
            List<RejectionCode> problems = ReplyValidator.checkContent(kind, parsed, 1).stream().map(Rejection::code).toList();
            assertThat(problems.contains(RejectionCode.RESULT_NOT_EXPECTED))
                    .as("%s with %s", kind, result).isEqualTo(!contract.get(kind).contains(result));
        }
    }

    @Test
    void invalidValuesAreListedTogetherWithMissingFields() {
        open(1, TaskKind.SCHEME_BUSINESS);
        Verdict verdict = validate(1, "marketing@yekuo.local", "结论：同意\n资产移交：待定\n业务费用：面议\n");

        assertThat(codes(verdict)).containsExactly(RejectionCode.INVALID_VALUE, RejectionCode.INVALID_VALUE,
                RejectionCode.MISSING_FIELD, RejectionCode.MISSING_FIELD, RejectionCode.MISSING_FIELD,
                RejectionCode.MISSING_FIELD, RejectionCode.MISSING_FIELD, RejectionCode.MISSING_FIELD, RejectionCode.MISSING_FIELD);
    }

    @Test
    void malformedSchemeContentsAreEachQuarantinedWithWhatWasExpected() {
        open(1, TaskKind.SCHEME_TECHNICAL);
        Verdict verdict = validate(1, "production@yekuo.local", ReplyGrammarTest.CONTRACT_EXAMPLE
                .replace("核定容量：2050kVA", "核定容量：两千")
                .replace("变压器：SCB13-625/10×2×625kVA", "变压器：SCB13-625/10 两台"));

        assertThat(((Verdict.Quarantined) verdict).reasons()).extracting(Rejection::messageZh).containsExactly(
                "“核定容量”的内容“两千”无法识别，应为容量（kVA），例如“2050kVA”。",
                "“变压器”的内容“SCB13-625/10 两台”无法识别，应为“型号×台数×容量”，例如“S13-M-800/10×2×800kVA”。");
    }

    @Test
    void aBusinessSchemeNeedsItsAssetsWhenTheyTransferAndReadableRatiosAndBookValues() {
        open(1, TaskKind.SCHEME_BUSINESS);
        String business = BillingClient.example("reply-scheme-business.txt").split("\n\n", 2)[1];
        assertThat(validate(1, "marketing@yekuo.local", business)).isInstanceOf(Verdict.Accepted.class);

        Verdict noAssets = validate(1, "marketing@yekuo.local", business.replaceAll("移交资产：[^\n]*\n", ""));
        assertThat(((Verdict.Quarantined) noAssets).reasons()).extracting(Rejection::messageEn).containsExactly(
                "ASSET_TRANSFER is YES: the reply must list each asset to transfer, \"ASSET: name|specification|quantity|book value\".");

        Verdict assetsWithoutTransfer = validate(1, "marketing@yekuo.local", business.replace("资产移交：是", "资产移交：否"));
        assertThat(codes(assetsWithoutTransfer)).containsExactly(RejectionCode.INVALID_VALUE);

        Verdict malformed = validate(1, "marketing@yekuo.local", business.replace("150/5", "150 to 5")
                .replace("|320米|54000.00", "|320米|面议").replace("功率因数：0.90", "功率因数：1.2"));
        assertThat(((Verdict.Quarantined) malformed).reasons()).extracting(Rejection::messageZh).containsExactly(
                "“电流互感器变比”的内容“150 to 5”无法识别，应为变比，例如“300/5”。",
                "“功率因数”的内容“1.2”无法识别，应为0 与 1 之间的小数，例如“0.90”。",
                "“移交资产”的内容“10kV电缆|YJV22-8.7/15-3×70|320米|面议”无法识别，应为“名称|规格|数量|账面价值”，例如“10kV环网柜|HXGN15-12|1台|86000.00”。");
    }

    @Test
    void bodyWithoutReplyFieldsIsEmpty() {
        open(1, TaskKind.RECTIFICATION);
        assertThat(codes(validate(1, "construction@yekuo.local", "收到，马上处理。\n--\n张工\n> 结论：完成"))).containsExactly(RejectionCode.EMPTY_BODY);
    }

    @Test
    void autoReplyIsQuarantinedBeforeAnythingElse() {
        open(1, TaskKind.RECTIFICATION);
        MimeMessage message = RawMail.headers("From: construction@yekuo.local\nSubject: "
                        + RawMail.utf8Subject("自动回复: " + tokens.tokenFor(CASE, 1)) + "\nAuto-Submitted: auto-replied\nContent-Type: text/plain; charset=UTF-8")
                .text("我正在休假。", StandardCharsets.UTF_8).parse();

        assertThat(codes(validate(message))).containsExactly(RejectionCode.AUTO_REPLY);
    }

    @Test
    void readerRefusalsCoverTheRemainingCodes() {
        UnitReplyReader small = new UnitReplyReader(16, 64 * 1024);
        MimeMessage withAttachment = RawMail.headers("""
                From: construction@yekuo.local
                Subject: x
                Content-Type: multipart/mixed; boundary="M"
                """).ascii("--M\nContent-Type: text/plain\n\n结论\n--M\nContent-Type: application/pdf; name=a.pdf\n\n0123456789abcdefXYZ\n--M--\n").parse();
        MimeMessage unreadable = RawMail.headers("Subject: x\nContent-Type: text/plain").ascii("no sender").parse();

        assertThat(((MailReading.Refused) small.read(withAttachment)).rejection().code()).isEqualTo(RejectionCode.ATTACHMENT_TOO_LARGE);
        assertThat(((MailReading.Refused) new UnitReplyReader(16, 32).read(withAttachment)).rejection().code())
                .isEqualTo(RejectionCode.MAIL_TOO_LARGE);
        assertThat(((MailReading.Refused) small.read(unreadable)).rejection().code()).isEqualTo(RejectionCode.UNREADABLE);
    }

    @ParameterizedTest
    @EnumSource(RejectionCode.class)
    void everyCodeHasAChineseAndAnEnglishTitle(RejectionCode code) {
        assertThat(code.titleZh()).isNotBlank().doesNotContainPattern("[A-Za-z]{4,}");
        assertThat(code.titleEn()).isNotBlank().matches("[\\x20-\\x7E]+");
    }

    private MimeMessage designReplyWithDrawing(String body) {
        return RawMail.headers("""
                From: construction@yekuo.local
                Subject: %s
                Content-Type: multipart/mixed; boundary="M"
                """.formatted(RawMail.utf8Subject("回复: " + tokens.tokenFor(CASE, 1))))
                .ascii("--M\nContent-Type: text/plain; charset=GBK\nContent-Transfer-Encoding: 8bit\n\n").text(body, RawMail.GBK)
                .ascii("\n--M\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"design.pdf\"\n\n%PDF-1.4\n--M--\n")
                .parse();
    }
}
