package cn.yekuo.hub.rendering;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDMarkInfo;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;
import org.apache.pdfbox.pdmodel.interactive.viewerpreferences.PDViewerPreferences;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What makes the hub's PDFs PDF/A-3b (ISO 19005-3, level B) beyond what openhtmltopdf does in its PDF/A mode (no
 * font left unembedded, an sRGB output intent): the XMP metadata packet, written from the document information
 * dictionary once that is final, so that the two always agree (title, author, subject, keywords, creator, producer,
 * dates), plus the pdfaid identification and, for a customer document, its numbers in the hub's own schema
 * ({@code yk:documentNo}, {@code yk:caseNo}, {@code yk:documentType}, described by a PDF/A extension schema as PDF/A
 * requires) and the document number as {@code dc:identifier}.
 */
public final class ArchivalPdf {

    /** Namespace of the hub's XMP properties. */
    public static final String NAMESPACE = "https://yekuo.cn/ns/document/1.0/";

    /** The sRGB profile of the output intent: the JDK's own (ICC v2, about 3 KB), read once. */
    private static final byte[] SRGB = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();

    private static final DateTimeFormatter XMP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    /** The hub's XMP properties and what they mean (the extension schema describes each). */
    private static final Map<String, String> PROPERTIES = new LinkedHashMap<>();

    static {
        PROPERTIES.put("documentNo", "Document number issued by the hub (also dc:identifier)");
        PROPERTIES.put("caseNo", "Case number of the service-connection case the document belongs to");
        PROPERTIES.put("documentType", "Type of the customer document (DocumentType)");
    }

    private ArchivalPdf() {
    }

    /** The sRGB ICC profile for the output intent (a copy). */
    public static byte[] srgbProfile() {
        return SRGB.clone();
    }

    /** Name, condition and identifier of the sRGB output intent (as openhtmltopdf's PDF/A mode writes it). */
    private static final String SRGB_NAME = "sRGB IEC61966-2.1";

    /**
     * The catalogue entries openhtmltopdf's PDF/A mode writes with its own XMP packet, for a layout whose packet was
     * skipped ({@link DocumentRenderer}): marked content, the title shown by viewers, the language and the sRGB output
     * intent. The XMP itself is {@link #writeXmp}'s.
     */
    static void writeCatalog(PDDocument pdf, String language) {
        PDDocumentCatalog catalog = pdf.getDocumentCatalog();
        PDMarkInfo mark = new PDMarkInfo();
        mark.setMarked(true);
        catalog.setMarkInfo(mark);
        catalog.setLanguage(language == null || language.isEmpty() ? "EN-US" : language);
        catalog.setViewerPreferences(new PDViewerPreferences(new COSDictionary()));
        catalog.getViewerPreferences().setDisplayDocTitle(true);
        try {
            PDOutputIntent intent = new PDOutputIntent(pdf, new ByteArrayInputStream(SRGB));
            intent.setInfo(SRGB_NAME);
            intent.setOutputCondition(SRGB_NAME);
            intent.setOutputConditionIdentifier(SRGB_NAME);
            intent.setRegistryName("http://www.color.org");
            catalog.addOutputIntent(intent);
        } catch (IOException e) {
            throw new DocumentRenderingException("cannot write the output intent", e);
        }
    }

    /**
     * Replaces the document's XMP metadata by one written from its information dictionary.
     *
     * @param identifiers the hub's properties to add ({@code documentNo}, {@code caseNo}, {@code documentType}); empty
     *                    for a report
     */
    public static void writeXmp(PDDocument pdf, Map<String, String> identifiers) {
        PDDocumentInformation info = pdf.getDocumentInformation();
        StringBuilder x = new StringBuilder(4096);
        x.append("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
                .append("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n")
                .append(" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n")
                .append("  <rdf:Description rdf:about=\"\"")
                .append(" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"")
                .append(" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"")
                .append(" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"")
                .append(" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"");
        if (!identifiers.isEmpty()) {
            x.append(" xmlns:yk=\"").append(NAMESPACE).append('"')
                    .append(" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"")
                    .append(" xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"")
                    .append(" xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\"");
        }
        x.append(">\n");
        x.append("   <pdfaid:part>3</pdfaid:part>\n   <pdfaid:conformance>B</pdfaid:conformance>\n");
        x.append("   <dc:format>application/pdf</dc:format>\n");
        if (info.getTitle() != null) {
            x.append("   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">").append(escape(info.getTitle()))
                    .append("</rdf:li></rdf:Alt></dc:title>\n");
        }
        if (info.getAuthor() != null) {
            x.append("   <dc:creator><rdf:Seq><rdf:li>").append(escape(info.getAuthor())).append("</rdf:li></rdf:Seq></dc:creator>\n");
        }
        if (info.getSubject() != null) {
            x.append("   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">").append(escape(info.getSubject()))
                    .append("</rdf:li></rdf:Alt></dc:description>\n");
        }
        String documentNo = identifiers.get("documentNo");
        if (documentNo != null) {
            x.append("   <dc:identifier>").append(escape(documentNo)).append("</dc:identifier>\n");
        }
        text(x, "pdf:Keywords", info.getKeywords());
        text(x, "pdf:Producer", info.getProducer());
        text(x, "xmp:CreatorTool", info.getCreator());
        text(x, "xmp:CreateDate", date(info.getCreationDate()));
        text(x, "xmp:ModifyDate", date(info.getModificationDate()));
        if (!identifiers.isEmpty()) {
            for (Map.Entry<String, String> e : identifiers.entrySet()) {
                if (!PROPERTIES.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("no XMP property yk:" + e.getKey());
                }
                text(x, "yk:" + e.getKey(), e.getValue());
            }
            x.append("   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n")
                    .append("    <pdfaSchema:schema>yekuo-hub customer document</pdfaSchema:schema>\n")
                    .append("    <pdfaSchema:namespaceURI>").append(NAMESPACE).append("</pdfaSchema:namespaceURI>\n")
                    .append("    <pdfaSchema:prefix>yk</pdfaSchema:prefix>\n")
                    .append("    <pdfaSchema:property><rdf:Seq>\n");
            for (Map.Entry<String, String> p : PROPERTIES.entrySet()) {
                x.append("     <rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>").append(p.getKey())
                        .append("</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType>")
                        .append("<pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>")
                        .append(escape(p.getValue())).append("</pdfaProperty:description></rdf:li>\n");
            }
            x.append("    </rdf:Seq></pdfaSchema:property>\n   </rdf:li></rdf:Bag></pdfaExtension:schemas>\n");
        }
        x.append("  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
        PDMetadata metadata = new PDMetadata(pdf);
        try {
            metadata.importXMPMetadata(x.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DocumentRenderingException("cannot write the XMP metadata", e);
        }
        pdf.getDocumentCatalog().setMetadata(metadata);
    }

    /** The moment a PDF date carries: whole seconds (the information dictionary has no fractions). */
    public static Calendar pdfDate(java.time.Instant instant, java.time.ZoneId zone) {
        return GregorianCalendar.from(instant.truncatedTo(ChronoUnit.SECONDS).atZone(zone));
    }

    private static void text(StringBuilder x, String element, String value) {
        if (value != null) {
            x.append("   <").append(element).append('>').append(escape(value)).append("</").append(element).append(">\n");
        }
    }

    private static String date(Calendar c) {
        if (c == null) {
            return null;
        }
        GregorianCalendar g = c instanceof GregorianCalendar gc ? gc : null;
        OffsetDateTime t = g != null ? g.toZonedDateTime().toOffsetDateTime()
                : OffsetDateTime.ofInstant(c.toInstant(), c.getTimeZone().toZoneId());
        return XMP_DATE.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    private static String escape(String s) {
        String t = XmlText.stripInvalidCharacters(s);
        StringBuilder b = new StringBuilder(t.length() + 16);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
