package cn.yekuo.hub.returnvisits;

import cn.yekuo.hub.replies.MailReading;
import cn.yekuo.hub.replies.RawMail;
import cn.yekuo.hub.replies.UnitReplyReader;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReturnVisitReplyGrammarTest {

    private final ReturnVisitReplyGrammar grammar = new ReturnVisitReplyGrammar();

    @Test
    void oneLinePerCaseWithSatisfactionAndNote() {
        ReturnVisitReply reply = grammar.parse("""
                YK-2026-000017: 满意 说明：客户对送电速度满意
                YK-2026-000018：一般
                YK-2026-000019: 不满意 施工现场未清理
                YK-2026-000020 未联系上，电话停机
                """);

        assertThat(reply.visits()).containsExactly(
                new ReturnVisitReply.Visit("YK-2026-000017", Satisfaction.SATISFIED, "客户对送电速度满意"),
                new ReturnVisitReply.Visit("YK-2026-000018", Satisfaction.NEUTRAL, ""),
                new ReturnVisitReply.Visit("YK-2026-000019", Satisfaction.DISSATISFIED, "施工现场未清理"),
                new ReturnVisitReply.Visit("YK-2026-000020", Satisfaction.UNREACHABLE, "电话停机"));
        assertThat(reply.unusable()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"满意,SATISFIED", "SATISFIED,SATISFIED", "satisfied,SATISFIED", "一般,NEUTRAL", "Neutral,NEUTRAL",
            "不满意,DISSATISFIED", "DISSATISFIED,DISSATISFIED", "未联系上,UNREACHABLE", "unreachable,UNREACHABLE"})
    void satisfactionInChineseOrEnglish(String written, Satisfaction expected) {
        assertThat(grammar.parse("YK-2026-000017: " + written).visits()).singleElement()
                .extracting(ReturnVisitReply.Visit::satisfaction).isEqualTo(expected);
    }

    @Test
    void dissatisfiedIsNeverReadAsSatisfied() {
        assertThat(grammar.parse("YK-2026-000017: 不满意").visits().get(0).satisfaction()).isEqualTo(Satisfaction.DISSATISFIED);
        assertThat(grammar.parse("YK-2026-000017: dissatisfied").visits().get(0).satisfaction()).isEqualTo(Satisfaction.DISSATISFIED);
    }

    @Test
    void unusableLinesAreListedWithTheReason() {
        ReturnVisitReply reply = grammar.parse("""
                各位好：
                YK-2026-000017: 满意
                YK-2026-000018: 还行吧
                客户 YK-2026-000019 满意
                YK-2026-000017: 不满意
                """);

        assertThat(reply.visits()).extracting(ReturnVisitReply.Visit::caseNo).containsExactly("YK-2026-000017");
        assertThat(reply.unusable()).extracting(ReturnVisitReply.UnusableLine::line)
                .containsExactly("各位好：", "YK-2026-000018: 还行吧", "客户 YK-2026-000019 满意", "YK-2026-000017: 不满意");
        assertThat(reply.unusable()).extracting(ReturnVisitReply.UnusableLine::reasonEn).containsExactly(
                "the line does not start with a case number",
                "no satisfaction recognised (SATISFIED, NEUTRAL, DISSATISFIED, UNREACHABLE)",
                "the case number must start the line",
                "case YK-2026-000017 was reported on an earlier line, which counts");
        assertThat(reply.unusable()).allSatisfy(line -> assertThat(line.reasonZh()).isNotBlank());
    }

    @Test
    void quotedPlanAndSignatureAreSkipped() {
        ReturnVisitReply reply = grammar.parse("""
                YK-2026-000017: 满意
                --
                东郊供电所 李工
                > YK-2026-000018: 一般
                """);

        assertThat(reply.visits()).hasSize(1);
        assertThat(reply.unusable()).isEmpty();
    }

    @Test
    void gbkReplyMailReadsThroughTheReader() {
        var message = RawMail.plainReply("station-dongjiao@yekuo.local", RawMail.utf8Subject("回复: [YK-RV-2026-11/dongjiao/abcdef]"),
                "YK-2026-000017：满意\r\nYK-2026-000018：未联系上\r\n", RawMail.GBK, "GB2312");
        String body = ((MailReading.Read) new UnitReplyReader().read(message)).reply().body();

        assertThat(grammar.parse(body).visits()).extracting(ReturnVisitReply.Visit::satisfaction)
                .containsExactly(Satisfaction.SATISFIED, Satisfaction.UNREACHABLE);
    }
}
