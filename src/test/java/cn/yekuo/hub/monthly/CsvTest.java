package cn.yekuo.hub.monthly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CSV exports' formula guard (OWASP CSV injection): nothing a spreadsheet would run survives, numbers stay numbers. */
class CsvTest {

    @ParameterizedTest
    @ValueSource(strings = {"-2+3+cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\")", "+1+cmd|x", "@SUM(A1)", "\t=1+1", "\r=1+1",
            " =1+1", "  -1+1", "\"=1+1", "'=1+1", "-1-cmd", "-", "=", "-2 + 3"})
    void a_formula_is_defused(String hostile) {
        String cell = Csv.cell(hostile);
        String unquoted = cell.startsWith("\"") ? cell.substring(1, cell.length() - 1).replace("\"\"", "\"") : cell;
        assertThat(unquoted).as(hostile).isEqualTo("'" + hostile);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-12", "3.50", "-0.5", "12800.00", "YK-2026-000017", "杭州东郊新材料有限公司", "a-b", "plain = text", ""})
    void data_stays_as_it_is(String data) {
        assertThat(Csv.cell(data)).isEqualTo(data);
    }
}
