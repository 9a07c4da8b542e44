package cn.yekuo.hub.mailtransport;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The lines of a reply body that its writer typed: no quoted original, no signature. */
public final class TextLines {

    // Whitespace as mail clients write it: ASCII, no-break space (from &nbsp;), ideographic space.
    private static final String SPACE = "[\\s\\u00A0\\u3000]";

    // Markers after which mail clients put the quoted original without '>' (Outlook, Foxmail, QQ, Gmail).
    private static final List<Pattern> QUOTED_ORIGINAL_STARTS = List.of(
            Pattern.compile("^-{2,}" + SPACE + "*(原始邮件|Original Message|转发邮件信息|Forwarded message)" + SPACE + "*-{2,}$",
                    Pattern.CASE_INSENSITIVE),
            Pattern.compile("^_{10,}$"),
            Pattern.compile("^On" + SPACE + ".+" + SPACE + "wrote:$", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^在.+写道[:：]$"),
            Pattern.compile("^(发件人|From)" + SPACE + "*[:：].*$", Pattern.CASE_INSENSITIVE));

    // No quoted-original marker is longer; a longer line is not matched at all (bounded regex work per line).
    private static final int MAX_MARKER_CHARS = 1000;

    private TextLines() {
    }

    /**
     * The text without its trailing full stops and exclamation marks ({@code 。.!！}). By hand: {@code [。.!！]+$} is
     * tried from every dot of a long run and takes quadratic time (issue 15).
     */
    public static String stripTrailingStops(String s) {
        int end = s.length();
        while (end > 0 && "。.!！".indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Trims ASCII whitespace, the ideographic space U+3000, no-break spaces and a BOM. */
    public static String trim(String s) {
        if (s == null) {
            return "";
        }
        int start = 0;
        int end = s.length();
        while (start < end && isBlank(s.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isBlank(char c) {
        return Character.isWhitespace(c) || c == '\u3000' || c == '\u00A0' || c == '\uFEFF' || c == '\u200B';
    }

    /**
     * The lines before the signature ({@code --} or {@code -- } alone on a line) and before a quoted
     * original; lines starting with {@code >} are dropped wherever they are.
     */
    public static List<String> writtenByReplier(String body) {
        List<String> own = new ArrayList<>();
        if (body == null) {
            return own;
        }
        for (String raw : body.split("\r\n|\r|\n", -1)) {
            if (raw.equals("--") || raw.equals("-- ")) {
                break;
            }
            String line = trim(raw);
            if (startsQuotedOriginal(line)) {
                break;
            }
            if (line.startsWith(">") || line.startsWith("＞")) {
                continue;
            }
            own.add(line);
        }
        return own;
    }

    private static boolean startsQuotedOriginal(String line) {
        if (line.length() > MAX_MARKER_CHARS) {
            return false;
        }
        for (Pattern start : QUOTED_ORIGINAL_STARTS) {
            if (start.matcher(line).matches()) {
                return true;
            }
        }
        return false;
    }
}
