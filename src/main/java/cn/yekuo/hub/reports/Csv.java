package cn.yekuo.hub.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * CSV as spreadsheet programs read it, written by Commons CSV (RFC 4180, CRLF, quoted when needed) after a UTF-8 byte
 * order mark, with formulas defused.
 */
public final class Csv {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180;

    private final StringBuilder out = new StringBuilder("\uFEFF");
    private final CSVPrinter printer;

    public Csv() {
        try {
            printer = new CSVPrinter(out, FORMAT);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
    }

    public Csv row(Object... cells) {
        return row(Arrays.asList(cells)); // null cells are empty
    }

    public Csv row(List<?> cells) {
        try {
            printer.printRecord(cells.stream().map(Csv::defused));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A cell that is a plain number (-12, 3.50) is data to every spreadsheet, never a formula. */
    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    /**
     * A cell a spreadsheet could run as a formula is defused with a leading {@code '} (OWASP CSV injection): one starting
     * with = + - @ tab or CR, also after leading spaces and quotes, unless a plain number. Hand-written: Commons CSV
     * quotes but has no formula guard.
     */
    static Object defused(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        return formulaLike(s) ? "'" + s : s;
    }

    static boolean formulaLike(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '"' || s.charAt(i) == '\'' || s.charAt(i) == '\u3000')) {
            i++;
        }
        if (i == s.length() || "=+-@\t\r\n".indexOf(s.charAt(i)) < 0) {
            return false;
        }
        return !PLAIN_NUMBER.matcher(s.strip()).matches();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
