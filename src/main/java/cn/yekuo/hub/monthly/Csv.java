package cn.yekuo.hub.monthly;

import java.util.List;
import java.util.regex.Pattern;

/** CSV as spreadsheet programs read it: UTF-8 with a byte order mark, CRLF, quoted cells, formulas defused. */
public final class Csv {

    private final StringBuilder out = new StringBuilder("\uFEFF");

    Csv row(Object... cells) {
        return row(List.of(cells));
    }

    Csv row(List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
        return this;
    }

    /** A cell that is a plain number (-12, 3.50) is data to every spreadsheet, never a formula. */
    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    /**
     * Quoted when needed; a cell a spreadsheet could run as a formula is defused with a leading {@code '} (OWASP CSV
     * injection): one starting with = + - @ tab or CR, also after leading spaces and quotes, unless a plain number.
     */
    public static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        if (formulaLike(s)) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
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
