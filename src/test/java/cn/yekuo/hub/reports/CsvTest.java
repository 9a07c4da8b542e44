package cn.yekuo.hub.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CSV exports' formula guard (OWASP CSV injection): nothing a spreadsheet would run survives, numbers stay numbers. */
class CsvTest {

    @ParameterizedTest
    @ValueSource(strings = {"-2+3+cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\")", "+1+cmd|x", "@SUM(A1)", "\t=1+1", "\r=1+1",
            " =1+1", "  -1+1", "\"=1+1", "'=1+1", "-1-cmd", "-", "=", "-2 + 3"})
    void a_formula_is_defused(String hostile) throws IOException {
        assertThat(readBack(new Csv().row("key", hostile).toString()).get(1)).as(hostile).isEqualTo("'" + hostile);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-12", "3.50", "-0.5", "12800.00", "YK-2026-000017", "杭州东郊新材料有限公司", "a-b", "plain = text", ""})
    void data_stays_as_it_is(String data) {
        assertThat(new Csv().row("key", data).toString()).isEqualTo("\uFEFFkey," + data + "\r\n");
    }

    @Test
    void cells_with_separators_quotes_and_line_breaks_are_quoted_and_read_back_whole() throws IOException {
        String csv = new Csv().row("a,b", "say \"hi\"", "line\r\nbreak", null).toString();
        assertThat(csv).isEqualTo("\uFEFF\"a,b\",\"say \"\"hi\"\"\",\"line\r\nbreak\",\r\n");
        assertThat(readBack(csv).values()).containsExactly("a,b", "say \"hi\"", "line\r\nbreak", "");
    }

    private static CSVRecord readBack(String csv) throws IOException {
        return CSVFormat.RFC4180.parse(new StringReader(csv.substring(1))).getRecords().get(0);
    }
}
