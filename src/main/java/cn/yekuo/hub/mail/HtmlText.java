package cn.yekuo.hub.mail;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an HTML mail body into the text a reader sees: tags stripped, entities decoded, block
 * elements and {@code <br>} as line breaks, and blockquoted originals prefixed with {@code >} so the
 * grammar skips them as it skips plain-text quotes.
 */
final class HtmlText {

    private static final Pattern INVISIBLE = Pattern.compile(
            "(?is)<!--.*?-->|<(script|style|head|title)\\b[^>]*>.*?</\\1\\s*>");
    private static final Pattern TAG = Pattern.compile("(?s)<(/?)([a-zA-Z][a-zA-Z0-9]*)\\b[^>]*>|<![^>]*>|<\\?[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});");
    private static final java.util.Set<String> LINE_BREAKING = java.util.Set.of(
            "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
            "blockquote", "pre", "hr", "dd", "dt", "section", "article", "header", "footer");
    private static final Map<String, String> NAMED_ENTITIES = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", " "), Map.entry("ensp", " "), Map.entry("emsp", " "),
            Map.entry("thinsp", " "), Map.entry("mdash", "—"), Map.entry("ndash", "–"),
            Map.entry("hellip", "…"), Map.entry("middot", "·"), Map.entry("ldquo", "“"),
            Map.entry("rdquo", "”"), Map.entry("lsquo", "‘"), Map.entry("rsquo", "’"),
            Map.entry("yen", "¥"), Map.entry("copy", "©"), Map.entry("reg", "®"), Map.entry("times", "×"),
            Map.entry("deg", "°"), Map.entry("bull", "•"));

    private HtmlText() {
    }

    static String toText(String html) {
        String visible = INVISIBLE.matcher(html).replaceAll("");
        StringBuilder out = new StringBuilder();
        int quoteDepth = 0;
        boolean atLineStart = true;
        Matcher tag = TAG.matcher(visible);
        int textStart = 0;
        while (true) {
            boolean found = tag.find();
            String text = visible.substring(textStart, found ? tag.start() : visible.length());
            // Source line breaks inside HTML are just spaces.
            text = decodeEntities(text.replaceAll("[\\r\\n\\t]+", " "));
            for (String piece : text.split("\n", -1)) {
                if (!piece.isEmpty()) {
                    if (atLineStart && quoteDepth > 0 && !piece.isBlank()) {
                        out.append("> ");
                    }
                    out.append(piece);
                    atLineStart = false;
                }
            }
            if (!found) {
                break;
            }
            String name = tag.group(2) == null ? "" : tag.group(2).toLowerCase(Locale.ROOT);
            boolean closing = "/".equals(tag.group(1));
            if (LINE_BREAKING.contains(name)) {
                if (!atLineStart || name.equals("br")) {
                    out.append('\n');
                }
                atLineStart = true;
            }
            if (name.equals("blockquote")) {
                quoteDepth = Math.max(0, quoteDepth + (closing ? -1 : 1));
            }
            textStart = tag.end();
        }
        return tidy(out.toString());
    }

    private static String decodeEntities(String text) {
        Matcher entity = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (entity.find()) {
            String name = entity.group(1);
            String replacement;
            if (name.startsWith("#x") || name.startsWith("#X")) {
                replacement = codePoint(Integer.parseInt(name.substring(2), 16), entity.group());
            } else if (name.startsWith("#")) {
                replacement = codePoint(Integer.parseInt(name.substring(1)), entity.group());
            } else {
                replacement = NAMED_ENTITIES.getOrDefault(name, entity.group());
            }
            entity.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        entity.appendTail(out);
        return out.toString();
    }

    private static String codePoint(int value, String original) {
        return Character.isValidCodePoint(value) && value != 0 ? new String(Character.toChars(value)) : original;
    }

    /** Trailing spaces off each line, runs of blank lines collapsed to one. */
    private static String tidy(String text) {
        StringBuilder out = new StringBuilder();
        int blankRun = 0;
        for (String line : text.split("\n", -1)) {
            String trimmed = line.replaceAll("[ \\u00A0]+$", "");
            if (trimmed.isBlank()) {
                if (++blankRun > 1) {
                    continue;
                }
                trimmed = "";
            } else {
                blankRun = 0;
            }
            out.append(trimmed).append('\n');
        }
        return TextLines.trim(out.toString());
    }
}
