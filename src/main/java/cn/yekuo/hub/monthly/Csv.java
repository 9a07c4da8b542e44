package cn.yekuo.hub.monthly;

import java.util.List;

/** CSV as spreadsheet programs read it: UTF-8 with a byte order mark, CRLF, quoted cells, formulas defused. */
final class Csv {

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

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !s.matches("-?\\d.*")) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
