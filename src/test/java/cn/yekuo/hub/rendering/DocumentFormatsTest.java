package cn.yekuo.hub.rendering;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentFormatsTest {

    private final DocumentFormats fmt = new DocumentFormats();

    @ParameterizedTest
    @CsvSource({
            "12800.00, 壹万贰仟捌佰元整",
            "10050, 壹万零伍拾元整",
            "100000, 壹拾万元整",
            "1001.5, 壹仟零壹元伍角整",
            "0.05, 伍分",
            "0, 零元整",
            "105000000.07, 壹亿零伍佰万元零柒分"})
    void amountsAreWrittenInChineseCapitalNumerals(String amount, String words) {
        assertThat(fmt.moneyInWords(new BigDecimal(amount))).isEqualTo(words);
    }

    @ParameterizedTest
    @CsvSource({"12800, '12,800.00'", "0.5, 0.50"})
    void amountsAreWrittenWithTwoDecimals(String amount, String text) {
        assertThat(fmt.money(new BigDecimal(amount))).isEqualTo(text);
    }
}
