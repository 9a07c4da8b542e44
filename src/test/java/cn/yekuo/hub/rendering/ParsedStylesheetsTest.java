package cn.yekuo.hub.rendering;

import com.openhtmltopdf.context.StylesheetFactoryImpl;
import com.openhtmltopdf.css.constants.MarginBoxName;
import com.openhtmltopdf.css.sheet.PageRule;
import com.openhtmltopdf.css.sheet.Ruleset;
import com.openhtmltopdf.css.sheet.Stylesheet;
import com.openhtmltopdf.css.sheet.StylesheetInfo;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ParsedStylesheetsTest {

    private static final String BASE = "about:yekuo-document";

    @Test
    void theTemplatesSheetIsParsedOnceAndHandedOverAsLoadedWithTheElementsMedia() throws Exception {
        String css = documentsCss();
        StylesheetInfo first = inlineSheet(new ParsedStylesheets(BASE).getStylesheets(xhtml(css, "")));
        StylesheetInfo second = inlineSheet(new ParsedStylesheets(BASE).getStylesheets(xhtml(css, " media=\"print\"")));

        assertThat(first.isInline()).as("the library must not parse it again").isFalse();
        assertThat(first.getUri()).isEqualTo(ParsedStylesheets.SHEET_URI);
        assertThat(first.getOrigin()).isEqualTo(StylesheetInfo.AUTHOR);
        assertThat(first.getStylesheet()).isNotNull().isSameAs(second.getStylesheet());
        assertThat(first.appliesToMedia("print")).isTrue();
        assertThat(second.getMedia()).containsExactly("print");
        assertThat(second.appliesToMedia("screen")).isFalse();
    }

    @Test
    void theReusedSheetHoldsWhatTheLibrarysOwnParseOfTheElementHolds() throws Exception {
        String css = documentsCss();
        Stylesheet reused = inlineSheet(new ParsedStylesheets(BASE).getStylesheets(xhtml(css, ""))).getStylesheet();

        StylesheetInfo inline = new StylesheetInfo();
        inline.setOrigin(StylesheetInfo.AUTHOR);
        inline.setMedia("");
        inline.setUri(BASE + "#inline_style_1");
        inline.setContent(css.trim());
        Stylesheet library = new StylesheetFactoryImpl(null).getStylesheet(inline);

        assertThat(describe(reused)).isEqualTo(describe(library)).hasSizeGreaterThan(40);
        assertThat(reused.getURI()).isEqualTo(library.getURI());
        assertThat(reused.getOrigin()).isEqualTo(library.getOrigin());
    }

    @Test
    void anotherTextIsParsedOnItsOwn() throws Exception {
        Stylesheet a = inlineSheet(new ParsedStylesheets(BASE).getStylesheets(xhtml("p { margin: 1pt; }", ""))).getStylesheet();
        Stylesheet b = inlineSheet(new ParsedStylesheets(BASE).getStylesheets(xhtml("p { margin: 2pt; }", ""))).getStylesheet();

        assertThat(a).isNotSameAs(b);
        assertThat(describe(a)).isNotEqualTo(describe(b));
    }

    /** Every rule with its selectors' specificity and its declarations, in order. */
    private static List<String> describe(Stylesheet sheet) {
        return sheet.getContents().stream().map(rule -> {
            if (rule instanceof Ruleset r) {
                return r.getFSSelectors().stream().map(s -> s + "/" + s.getSpecificityB() + s.getSpecificityC()
                        + s.getSpecificityD()).toList() + " " + r.getPropertyDeclarations().stream()
                        .map(d -> d.getPropertyName() + ":" + d.getValue().getCssText() + (d.isImportant() ? "!" : "")).toList();
            }
            if (rule instanceof PageRule p) {
                return "@page " + p.getName() + " " + p.getRuleset().getPropertyDeclarations().stream()
                        .map(d -> d.getPropertyName() + ":" + d.getValue().getCssText()).toList() + " "
                        + p.getMarginBoxProperties(MarginBoxName.BOTTOM_CENTER).stream()
                        .map(d -> d.getPropertyName() + ":" + d.getValue().getCssText()).toList();
            }
            return rule.getClass().getSimpleName();
        }).toList();
    }

    private static StylesheetInfo inlineSheet(StylesheetInfo[] infos) {
        assertThat(infos).hasSize(1);
        return Arrays.stream(infos).findFirst().orElseThrow();
    }

    private static Document xhtml(String css, String styleAttributes) throws Exception {
        String html = "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><style" + styleAttributes + ">\n" + css
                + "\n</style></head><body><p>x</p></body></html>";
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }

    private static String documentsCss() throws Exception {
        try (InputStream in = ParsedStylesheetsTest.class.getResourceAsStream("/documents/documents.css")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
