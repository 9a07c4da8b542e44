package cn.yekuo.hub.mailtransport;

import java.util.Set;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Turns an HTML mail body into the text a reader sees, parsed by jsoup (linear time, so comment bombs and unclosed
 * tags cost no more than their length): comments, scripts and styles dropped, entities decoded, block elements and
 * {@code <br>} as line breaks, and blockquoted originals prefixed with {@code >} so the grammar skips them as it skips
 * plain-text quotes. The caller bounds the input ({@code yk.mail.max-body-bytes}).
 */
public final class HtmlText {

    private static final Set<String> LINE_BREAKING = Set.of(
            "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
            "blockquote", "pre", "hr", "dd", "dt", "section", "article", "header", "footer");
    private static final Set<String> INVISIBLE = Set.of("script", "style", "head", "title", "template", "noscript");

    private HtmlText() {
    }

    public static String toText(String html) {
        Document document = Jsoup.parse(html);
        Writer writer = new Writer();
        NodeTraversor.traverse(writer, document.body() == null ? document : document.body());
        return tidy(writer.out.toString());
    }

    /**
     * Walks the tree once, writing text with the line structure a mail client shows. By hand because jsoup has no
     * such writer: {@code Element.text()} joins the blocks into one line, {@code wholeText()} keeps the source's breaks.
     */
    private static final class Writer implements NodeVisitor {
        final StringBuilder out = new StringBuilder();
        int quoteDepth;
        int hidden;
        boolean atLineStart = true;

        @Override
        public void head(Node node, int depth) {
            if (node instanceof Element e) {
                String name = e.normalName(); // jsoup's lower-case name
                if (INVISIBLE.contains(name)) {
                    hidden++;
                    return;
                }
                lineBreak(name);
                if (name.equals("blockquote")) {
                    quoteDepth++;
                }
            } else if (node instanceof TextNode t && hidden == 0) {
                // Source line breaks inside HTML are just spaces (a linear character-class run, over one text node of a
                // body already within yk.mail.max-body-bytes); a no-break space is a space to the grammar.
                String text = t.getWholeText().replaceAll("[\\r\\n\\t]+", " ").replace('\u00A0', ' ');
                if (!text.isEmpty()) {
                    if (atLineStart && quoteDepth > 0 && !text.isBlank()) {
                        out.append("> ");
                    }
                    out.append(text);
                    atLineStart = false;
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element e) {
                String name = e.normalName();
                if (INVISIBLE.contains(name)) {
                    hidden--;
                    return;
                }
                if (!name.equals("br")) {
                    lineBreak(name);
                }
                if (name.equals("blockquote")) {
                    quoteDepth = Math.max(0, quoteDepth - 1);
                }
            }
        }

        private void lineBreak(String name) {
            if (hidden == 0 && LINE_BREAKING.contains(name)) {
                if (!atLineStart || name.equals("br")) {
                    out.append('\n');
                }
                atLineStart = true;
            }
        }
    }

    /** Trailing spaces off each line, runs of blank lines collapsed to one. */
    private static String tidy(String text) {
        StringBuilder out = new StringBuilder();
        int blankRun = 0;
        for (String line : text.split("\n", -1)) {
            String trimmed = stripTrailingSpaces(line);
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

    // by hand, not "[ ]+$": a regex anchored at the end retries every start of a long run of spaces (quadratic)
    private static String stripTrailingSpaces(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\u00A0')) {
            end--;
        }
        return line.substring(0, end);
    }
}
