package cn.yekuo.hub.rendering;

import com.openhtmltopdf.css.parser.CSSParser;
import com.openhtmltopdf.css.sheet.Stylesheet;
import com.openhtmltopdf.css.sheet.StylesheetInfo;
import com.openhtmltopdf.simple.extend.XhtmlNamespaceHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * openhtmltopdf's XHTML namespace handler, except that a document's inline stylesheet is parsed once per text and then
 * reused: the library parses every {@code <style>} element again for every document (its stylesheet factory keeps
 * nothing), and every template inlines the same {@code documents.css}. The parsed sheet is handed to the library as
 * an already loaded sheet ({@link #SHEET_URI}, never loaded from anywhere), in the place and with the media of the
 * element. Its own default sheet the library already parses once per JVM and shares between renderers the same way.
 *
 * <p>One handler per document (the library's handler keeps the document's language); the parsed sheets are shared.
 */
final class ParsedStylesheets extends XhtmlNamespaceHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ParsedStylesheets.class);

    /** Where the library is told a reused sheet comes from; the renderer's locked-down resolver answers nothing for it. */
    static final String SHEET_URI = "about:yekuo-document#parsed-style";
    /** The templates' sheets are few (documents.css, reports.css); a text beyond that many is parsed every time. */
    static final int MAX_SHEETS = 16;

    private static final Map<String, Stylesheet> SHEETS = new ConcurrentHashMap<>();

    /** The base URI the library would name the first inline sheet with (it resolves nothing against it here). */
    private final String inlineUri;

    ParsedStylesheets(String baseUri) {
        this.inlineUri = baseUri + "#inline_style_1";
    }

    @Override
    public StylesheetInfo[] getStylesheets(Document doc) {
        StylesheetInfo[] infos = super.getStylesheets(doc);
        for (int i = 0; i < infos.length; i++) {
            StylesheetInfo info = infos[i];
            if (info != null && info.isInline()) {
                Stylesheet sheet = parsed(info.getContent(), info.getOrigin());
                if (sheet != null) {
                    infos[i] = loaded(info, sheet);
                }
            }
        }
        return infos;
    }

    /** The sheet of {@code css}, parsed the first time; null (the library parses it) when too many texts are kept. */
    private Stylesheet parsed(String css, int origin) {
        Stylesheet sheet = SHEETS.get(css);
        if (sheet != null || SHEETS.size() >= MAX_SHEETS) {
            return sheet;
        }
        return SHEETS.computeIfAbsent(css, text -> parse(text, origin));
    }

    /** As the library's stylesheet factory parses an inline sheet (same parser settings: no CMYK colours). */
    private Stylesheet parse(String css, int origin) {
        CSSParser parser = new CSSParser((uri, message) -> LOG.warn("CSS {}: {}", uri, message));
        try {
            return parser.parseStylesheet(inlineUri, origin, new StringReader(css));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }

    private static StylesheetInfo loaded(StylesheetInfo inline, Stylesheet sheet) {
        StylesheetInfo info = new StylesheetInfo();
        info.setOrigin(inline.getOrigin());
        info.setType(inline.getType());
        info.setTitle(inline.getTitle());
        for (String medium : inline.getMedia()) {
            info.addMedium(medium);
        }
        info.setUri(SHEET_URI);
        info.setStylesheet(sheet);
        return info;
    }

    /** For tests: how many sheet texts are kept parsed. */
    static int parsedSheets() {
        return SHEETS.size();
    }
}
