package cn.yekuo.hub.replies.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

public class ReplyGrammarTest {

    private final ReplyGrammar grammar = new ReplyGrammar();

    /** Body of src/test/resources/examples/reply-scheme-technical.txt (docs/contract.md §2): what follows its headers. */
    public static final String CONTRACT_EXAMPLE = cn.yekuo.hub.support.BillingClient.example("reply-scheme-technical.txt")
            .split("\n\n", 2)[1];

    @Test
    void contractExampleReplyGivesResultAndTheThreeSchemeFields() {
        ParsedReply reply = grammar.parse(CONTRACT_EXAMPLE);

        assertThat(reply.result()).contains(ReplyResult.APPROVED);
        assertThat(reply.text(ReplyKey.SOURCE)).contains("110kV东郊变 10kV 912东园线");
        assertThat(reply.text(ReplyKey.CONNECTION_POINT)).contains("912东园线 #23杆 T接");
        assertThat(reply.text(ReplyKey.OWNERSHIP_BOUNDARY)).contains("912东园线 #23杆 T接点刀闸下桩头");
        assertThat(reply.text(ReplyKey.NOTE)).contains("需新建 10kV 电缆 0.4km。");
        assertThat(reply.problems()).isEmpty();
        assertThat(reply.unknownFields()).isEmpty();
    }

    @Test
    void listKeysGivenOnSeveralLinesOrSeparatedBySemicolonsKeepOneItemPerLine() {
        ParsedReply reply = grammar.parse(CONTRACT_EXAMPLE);

        assertThat(reply.text(ReplyKey.TRANSFORMER)).contains("SCB13-800/10×1×800kVA\nSCB13-625/10×2×625kVA");
        assertThat(reply.text(ReplyKey.WORKS)).contains("新建 10kV电缆线路 YJV22-8.7/15-3×70 0.4km\n新建 HXGN15-12 环网柜一座\n"
                + "改造 912东园线#23杆 T接刀闸更换");
        assertThat(reply.text(ReplyKey.APPROVED_CAPACITY)).contains("2050kVA");
        // a single-valued key given twice with different values is still a problem
        assertThat(grammar.parse("核定容量：2050kVA\n核定容量：800kVA").problems()).hasSize(1);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '#', value = {
            "S13-M-800/10×2×800kVA#S13-M-800/10#2#800",
            "SCB13-1250/10 x 1 x 1250 kVA#SCB13-1250/10#1#1250",
            "S11-630/10＊1台＊630千伏安#S11-630/10#1#630"})
    void transformerLinesAreModelUnitsAndKva(String line, String model, int units, int kva) {
        assertThat(cn.yekuo.hub.domain.SchemeItems.transformer(line))
                .contains(new cn.yekuo.hub.domain.SchemeItems.Transformer(model, units, kva));
        assertThat(grammar.parse("变压器：" + line).problems()).isEmpty();
    }

    @Test
    void worksNoneIsAllowedOnlyAlone() {
        assertThat(grammar.parse("工程项目：无").problems()).isEmpty();
        assertThat(grammar.parse("工程项目：无\n工程项目：新建 电缆").problems()).hasSize(1);
        assertThat(grammar.parse("工程项目：电缆0.4km").problems()).extracting(Rejection::code).containsExactly(RejectionCode.INVALID_VALUE);
    }

    @Test
    void englishKeysAreCaseInsensitiveAndAsciiColonWorks() {
        ParsedReply reply = grammar.parse("""
                result: approved
                Source: 110kV Dongjiao
                connection_point: pole 23
                Ownership Boundary: switch at pole 23
                """);

        assertThat(reply.result()).contains(ReplyResult.APPROVED);
        assertThat(reply.text(ReplyKey.SOURCE)).contains("110kV Dongjiao");
        assertThat(reply.text(ReplyKey.CONNECTION_POINT)).contains("pole 23");
        assertThat(reply.text(ReplyKey.OWNERSHIP_BOUNDARY)).contains("switch at pole 23");
    }

    @Test
    void fullWidthColonAndIdeographicSpacesAroundKeysAndValuesAreTrimmed() {
        ParsedReply reply = grammar.parse("\u3000结论\u3000：\u3000通过\u3000\n  电能表号 ：  3301234567 \t\n");

        assertThat(reply.result()).contains(ReplyResult.APPROVED);
        assertThat(reply.text(ReplyKey.METER_NO)).contains("3301234567");
    }

    @Test
    void templateLabelsWithTheBracketedEnglishKeyAreRead() {
        ParsedReply reply = grammar.parse("""
                结论 (RESULT): 同意
                电源点（SOURCE）：110kV东郊变
                """);

        assertThat(reply.result()).contains(ReplyResult.APPROVED);
        assertThat(reply.text(ReplyKey.SOURCE)).contains("110kV东郊变");
    }

    @Test
    void emptyTemplateLinesAreNotAnswers() {
        ParsedReply reply = grammar.parse("结论: 同意\n电源点 (SOURCE): \n说明：\n");

        assertThat(reply.has(ReplyKey.SOURCE)).isFalse();
        assertThat(reply.has(ReplyKey.NOTE)).isFalse();
    }

    @Test
    void quotedLinesAreIgnoredWherever() {
        ParsedReply reply = grammar.parse("> 结论：不同意\n结论：同意\n>> 电源点：旧的\n＞ 接入点：全角引用\n");

        assertThat(reply.result()).contains(ReplyResult.APPROVED);
        assertThat(reply.has(ReplyKey.SOURCE)).isFalse();
        assertThat(reply.has(ReplyKey.CONNECTION_POINT)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--", "-- "})
    void everythingAfterTheSignatureSeparatorIsIgnored(String separator) {
        ParsedReply reply = grammar.parse("结论：同意\n" + separator + "\n电源点：签名里的电话：0571-1234\n");

        assertThat(reply.has(ReplyKey.SOURCE)).isFalse();
        assertThat(reply.unknownFields()).isEmpty();
    }

    @Test
    void aDoubleDashInsideALineIsNotASignature() {
        ParsedReply reply = grammar.parse("结论：同意\n---\n电源点：110kV东郊变 -- 912线\n");

        assertThat(reply.text(ReplyKey.SOURCE)).contains("110kV东郊变 -- 912线");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "-----原始邮件-----",
            "------------------ 原始邮件 ------------------",
            "-----Original Message-----",
            "On Fri, Nov 27, 2026 at 9:30 AM hub@yekuo.local wrote:",
            "在 2026年11月27日 09:30，hub@yekuo.local 写道：",
            "发件人: hub@yekuo.local",
            "From: hub@yekuo.local",
            "________________________________"})
    void quotedOriginalAfterAClientHeaderIsIgnored(String header) {
        ParsedReply reply = grammar.parse("结论：不同意\n说明：负荷不足\n\n" + header + "\n结论 (RESULT): 同意 / 不同意\n电源点：模板\n");

        assertThat(reply.result()).contains(ReplyResult.REJECTED);
        assertThat(reply.has(ReplyKey.SOURCE)).isFalse();
        assertThat(reply.problems()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "同意,APPROVED", "通过,APPROVED", "APPROVED,APPROVED", "approved,APPROVED",
            "不同意,REJECTED", "不通过,REJECTED", "REJECTED,REJECTED",
            "完成,DONE", "done,DONE", "不合格,FAILED", "FAILED,FAILED",
            "申请中间检查,INSPECTION_REQUESTED", "inspection_requested,INSPECTION_REQUESTED",
            "Inspection requested,INSPECTION_REQUESTED",
            "竣工,COMPLETED", "COMPLETED,COMPLETED", "同意。,APPROVED", "ＡＰＰＲＯＶＥＤ,APPROVED"})
    void everyResultSpellingIsNormalised(String written, ReplyResult expected) {
        assertThat(grammar.parse("结论：" + written).result()).contains(expected);
    }

    @Test
    void unknownResultIsAnErrorThatQuotesTheValueAndListsTheAllowedOnes() {
        ParsedReply reply = grammar.parse("结论：基本同意\n");

        assertThat(reply.result()).isEmpty();
        assertThat(reply.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.code()).isEqualTo(RejectionCode.UNKNOWN_RESULT);
            assertThat(problem.messageZh()).contains("“基本同意”").contains("同意").contains("竣工");
            assertThat(problem.messageEn()).contains("\"基本同意\"").contains("APPROVED").contains("COMPLETED");
        });
    }

    @ParameterizedTest
    @CsvSource({"是,true", "YES,true", "yes,true", "否,false", "NO,false", "no,false"})
    void assetTransferIsYesOrNo(String written, boolean expected) {
        assertThat(grammar.parse("资产移交：" + written).assetTransfer()).contains(expected);
    }

    @Test
    void assetTransferOtherThanYesOrNoIsAnInvalidValue() {
        ParsedReply reply = grammar.parse("资产移交：待定");
        assertThat(reply.assetTransfer()).isEmpty();
        assertThat(reply.problems()).extracting(Rejection::code).containsExactly(RejectionCode.INVALID_VALUE);
        assertThat(reply.problems().get(0).messageZh()).contains("资产移交").contains("待定");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "12,800.00 元|12800.00", "12800|12800", "￥12,800.00|12800.00", "¥ 12800.5|12800.5",
            "人民币12800元|12800", "１２８００．００元|12800.00", "12800.00 yuan|12800.00", "0|0"})
    void feesToleratesThousandsSeparatorsCurrencySignsAndUnits(String written, String expected) {
        assertThat(grammar.parse("业务费用：" + written).fees()).contains(new BigDecimal(expected));
    }

    @Test
    void feesThatAreNotAnAmountAreAnInvalidValue() {
        ParsedReply reply = grammar.parse("FEES: about twelve thousand");
        assertThat(reply.fees()).isEmpty();
        assertThat(reply.problems()).extracting(Rejection::code).containsExactly(RejectionCode.INVALID_VALUE);
    }

    @Test
    void defectsAreSplitOnAsciiAndFullWidthSemicolons() {
        ParsedReply reply = grammar.parse("结论：不合格\n缺陷：电缆沟未封堵；接地电阻超标; 标识牌缺失；\n");

        assertThat(reply.defects()).containsExactly("电缆沟未封堵", "接地电阻超标", "标识牌缺失");
    }

    @Test
    void defectsOnSeveralLinesAreJoined() {
        ParsedReply reply = grammar.parse("缺陷：电缆沟未封堵\n缺陷：接地电阻超标\n");

        assertThat(reply.defects()).containsExactly("电缆沟未封堵", "接地电阻超标");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2027-03-01 10:30", "2027-3-1 10:30", "2027/03/01 10:30", "2027-03-01 10:30:00",
            "2027年3月1日 10:30", "２０２７-０３-０１ １０：３０"})
    void energizedAtIsALocalDateTime(String written) {
        assertThat(grammar.parse("送电时间：" + written).energizedAt()).contains(LocalDateTime.of(2027, 3, 1, 10, 30));
    }

    @Test
    void energizedAtKeepsTheColonOfTheTimeBecauseOnlyTheFirstSeparatorSplits() {
        ParsedReply reply = grammar.parse("ENERGIZED_AT: 2027-03-01 10:30");
        assertThat(reply.text(ReplyKey.ENERGIZED_AT)).contains("2027-03-01 10:30");
    }

    @Test
    void unreadableEnergizedAtIsAnInvalidValue() {
        ParsedReply reply = grammar.parse("送电时间：下周一上午");
        assertThat(reply.energizedAt()).isEmpty();
        assertThat(reply.problems()).extracting(Rejection::code).containsExactly(RejectionCode.INVALID_VALUE);
    }

    @Test
    void unknownKeysAreKeptButNotUsed() {
        ParsedReply reply = grammar.parse("各位好：\n结论：同意\n联系人：张工\n");

        assertThat(reply.unknownFields()).containsEntry("联系人", "张工");
        assertThat(reply.fields()).containsOnlyKeys(ReplyKey.RESULT);
        assertThat(reply.problems()).isEmpty();
    }

    @Test
    void proseLinesWithoutASeparatorAreIgnored() {
        ParsedReply reply = grammar.parse("收到，已安排。\n结论：完成\n谢谢\n");
        assertThat(reply.result()).contains(ReplyResult.DONE);
        assertThat(reply.unknownFields()).isEmpty();
    }

    @Test
    void sameKeyTwiceWithDifferentValuesIsAnInvalidValueButNotesAreJoined() {
        ParsedReply reply = grammar.parse("结论：同意\n电源点：A变\n电源点：B变\n说明：第一行\n说明：第二行\n");

        assertThat(reply.problems()).extracting(Rejection::code).containsExactly(RejectionCode.INVALID_VALUE);
        assertThat(reply.text(ReplyKey.SOURCE)).contains("A变");
        assertThat(reply.text(ReplyKey.NOTE)).contains("第一行\n第二行");
    }

    @Test
    void bodyWithOnlyGreetingsIsEmpty() {
        assertThat(grammar.parse("收到，谢谢！\n\n--\n张工").isEmpty()).isTrue();
        assertThat(grammar.parse("").isEmpty()).isTrue();
        assertThat(grammar.parse(null).isEmpty()).isTrue();
    }

    @Test
    void windowsAndOldMacLineEndingsAreLineEndings() {
        ParsedReply reply = grammar.parse("结论：同意\r\n电源点：A变\r接入点：23杆\r\n--\r\n电能表号：1");
        assertThat(reply.text(ReplyKey.SOURCE)).contains("A变");
        assertThat(reply.text(ReplyKey.CONNECTION_POINT)).contains("23杆");
        assertThat(reply.has(ReplyKey.METER_NO)).isFalse();
    }
}
