package cn.yekuo.hub.rendering;

import com.openhtmltopdf.extend.FSStream;
import com.openhtmltopdf.extend.FSStreamFactory;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
import com.openhtmltopdf.pdfboxout.PDFontSupplier;
import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders the customer documents as PDF/A4 in Simplified Chinese: a FreeMarker HTML template per
 * {@link DocumentType} (under {@code documents/} on the classpath, auto-escaped {@code .ftlh}) laid out by
 * openhtmltopdf with the {@link ChineseFontLibrary} faces subset-embedded.
 *
 * <p>Safety: every value is HTML-escaped by the templates' output format, characters XML cannot carry are
 * dropped, and the layout engine is configured so that it cannot load anything — no files, no URLs, no
 * classpath resources (the stylesheet is inlined when the template is compiled).
 *
 * <p>Speed: fonts are parsed once by the library, templates compiled once at construction (a template with a syntax
 * error fails the construction), the XHTML parsed with a reused secure parser, the inline stylesheet parsed once
 * ({@link ParsedStylesheets}), fast layout mode, and the library's
 * compact faces embedded whenever they cover the document's text. Thread-safe; one instance is meant to be shared
 * (a Spring bean).
 */
public final class DocumentRenderer {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentRenderer.class);

    /** CSS font families of the two faces, as used by {@code documents.css}. */
    static final String BODY_FAMILY = "yk-song";
    static final String HEADING_FAMILY = "yk-hei";

    /** Base URI of the documents; nothing is ever resolved against it. */
    private static final String BASE_URI = "about:yekuo-document";
    private static final String CREATOR = "yekuo-hub";

    private final ChineseFontLibrary fonts;
    private final Clock clock;
    private final Map<DocumentType, Template> templates = new EnumMap<>(DocumentType.class);
    private final DocumentFormats formats = new DocumentFormats();
    private final ThreadLocal<DocumentBuilder> xmlParsers = ThreadLocal.withInitial(DocumentRenderer::newXmlParser);
    private final Configuration templateConfiguration;
    private final Map<String, Template> reportTemplates = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Layout runs here so that a caller waits at most the time limit. Bounded: a layout that never ends keeps its thread
     * (it cannot be stopped), so at most {@link #RENDER_THREADS_MAX} such threads exist; with all busy and the queue full
     * a render fails for now ({@link DocumentRenderingException}) instead of starting another thread.
     */
    private final java.util.concurrent.ThreadPoolExecutor layouts = new java.util.concurrent.ThreadPoolExecutor(
            RENDER_THREADS_MAX, RENDER_THREADS_MAX, 0, java.util.concurrent.TimeUnit.MILLISECONDS,
            new java.util.concurrent.ArrayBlockingQueue<>(RENDER_THREADS_MAX), runnable -> {
        Thread t = new Thread(runnable, "document-render-" + RENDER_THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    /** Render threads (and as many layouts waiting for one); a render beyond that fails for now. */
    static final int RENDER_THREADS_MAX = 4;
    /** How long {@link #close()} lets running layouts finish before it interrupts them. */
    static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);
    private static final java.util.concurrent.atomic.AtomicInteger RENDER_THREADS = new java.util.concurrent.atomic.AtomicInteger();
    private volatile java.time.Duration timeLimit;
    private final ZoneId zone;
    private volatile java.util.function.Consumer<String> beforeLayout = what -> { };

    public DocumentRenderer(ChineseFontLibrary fonts) {
        this(fonts, Clock.systemUTC());
    }

    /** @param clock gives the PDF creation date */
    public DocumentRenderer(ChineseFontLibrary fonts, Clock clock) {
        this(fonts, clock, java.time.Duration.ofSeconds(60));
    }

    /**
     * @param clock gives the PDF creation date
     * @param timeLimit how long one layout may take before it is abandoned and fails with {@link DocumentRenderingException}
     */
    public DocumentRenderer(ChineseFontLibrary fonts, Clock clock, java.time.Duration timeLimit) {
        this(fonts, clock, clock.getZone(), timeLimit);
    }

    /**
     * @param clock gives the PDF creation date
     * @param zone the offset the dates are written with (the business time zone)
     * @param timeLimit how long one layout may take before it is abandoned and fails with {@link DocumentRenderingException}
     */
    public DocumentRenderer(ChineseFontLibrary fonts, Clock clock, ZoneId zone, java.time.Duration timeLimit) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.timeLimit = Objects.requireNonNull(timeLimit, "timeLimit");
        Slf4jXRLogger.install();
        this.fonts = Objects.requireNonNull(fonts, "fonts");
        this.clock = Objects.requireNonNull(clock, "clock");
        Configuration cfg = templateConfiguration();
        this.templateConfiguration = cfg;
        for (DocumentType type : DocumentType.values()) {
            try {
                templates.put(type, cfg.getTemplate(type.template()));
            } catch (IOException e) {
                throw new IllegalStateException("template of " + type + " cannot be loaded: " + type.template(), e);
            }
        }
    }

    /**
     * Renders one document.
     *
     * @throws IllegalArgumentException when {@code data} lacks the section the type needs
     * @throws DocumentRenderingException when the template or the PDF cannot be produced
     */
    public byte[] render(DocumentType type, DocumentData data) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        requireSections(type, data);
        return layOut(type, data, xhtml(type, data));
    }

    /**
     * Renders every document type once with placeholder data and throws away the result: checks that the templates
     * render and takes the first-document cost (class loading, JIT) off the first customer. The hub runs it on a
     * background thread at start ({@link DocumentsWarmUp}), after {@link ChineseFontLibrary#prepare()}.
     */
    public void warmUp() {
        for (DocumentType type : DocumentType.values()) {
            warmUp(type);
        }
    }

    /** Renders {@code type} once with placeholder data and throws away the result. */
    public void warmUp(DocumentType type) {
        render(type, PlaceholderDocuments.all());
    }

    /**
     * Renders an internal report (monthly plans, summaries, the assessment) from a template under {@code documents/}
     * with the same fonts, escaping and lock-down as the customer documents. The model is exposed as {@code r}.
     */
    public byte[] renderReport(String template, Object model, String title, String subject) {
        Objects.requireNonNull(model, "model");
        Template t = reportTemplates.computeIfAbsent(template, name -> {
            try {
                return templateConfiguration.getTemplate(name);
            } catch (IOException e) {
                throw new IllegalStateException("report template cannot be loaded: " + name, e);
            }
        });
        StringWriter out = new StringWriter(16 * 1024);
        try {
            t.process(Map.of("r", model, "fmt", formats), out);
        } catch (TemplateException | IOException e) {
            throw new DocumentRenderingException("report template " + template + " failed", e);
        }
        String html = XmlText.stripInvalidCharacters(out.toString());
        return layOut(parse(template, html), html, title, pdf -> {
            stamp(pdf, title, subject);
            ArchivalPdf.writeXmp(pdf, Map.of());
        });
    }

    /** Lays out {@code html} (well-formed XHTML) as the PDF of {@code type}; package-private for tests. */
    public byte[] layOut(DocumentType type, DocumentData data, String html) {
        return layOut(parse(type.template(), html), html, type + " of case " + data.caseNo(), pdf -> setMetadata(pdf, type, data));
    }

    /**
     * Lays out on a render thread and waits at most the time limit: a layout that takes longer (a pathological
     * document, a library bug) is interrupted and fails this document, so the caller's transaction rolls back and the
     * document is tried again later, instead of the caller hanging for ever.
     */
    public byte[] layOut(Document dom, CharSequence text, String what, java.util.function.Consumer<PDDocument> metadata) {
        java.time.Duration limit = timeLimit;
        java.util.concurrent.Future<byte[]> layout;
        try {
            layout = layouts.submit(() -> {
                beforeLayout.accept(what);
                return layOutNow(dom, text, what, metadata);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.error("No render thread free for {} ({} busy, {} waiting, or the hub is stopping): it fails for now",
                    what, layouts.getActiveCount(), layouts.getQueue().size());
            throw new DocumentRenderingException("no render thread free for " + what, e);
        }
        try {
            return layout.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            layout.cancel(true);
            layouts.purge(); // a layout that never started leaves the queue now
            LOG.error("Rendering {} took longer than {}: abandoned (its thread is interrupted)", what, limit);
            throw new DocumentRenderingException("cannot render " + what + " within " + limit, e);
        } catch (InterruptedException e) {
            layout.cancel(true);
            Thread.currentThread().interrupt();
            throw new DocumentRenderingException("interrupted while rendering " + what, e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new DocumentRenderingException("cannot render " + what, e.getCause());
        }
    }

    /** For tests: the time limit of the next layouts. */
    public void timeLimit(java.time.Duration limit) {
        this.timeLimit = Objects.requireNonNull(limit);
    }

    /** For tests: runs on the render thread before each layout, with what is rendered ("CONTACT_CARD of case …"). */
    public void beforeLayout(java.util.function.Consumer<String> hook) {
        this.beforeLayout = hook == null ? what -> { } : hook;
    }

    /** Lets running layouts finish (at most {@link #CLOSE_WAIT}), then interrupts what is left. */
    public void close() {
        layouts.shutdown();
        try {
            if (!layouts.awaitTermination(CLOSE_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                LOG.warn("Layouts still running {} after the close: interrupted", CLOSE_WAIT);
                layouts.shutdownNow();
            }
        } catch (InterruptedException e) {
            layouts.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: the most render threads there ever were at once. */
    int largestRenderThreads() {
        return layouts.getLargestPoolSize();
    }

    /** @param text everything the document may show (its XHTML), to choose between compact and full faces */
    private byte[] layOutNow(Document dom, CharSequence text, String what, java.util.function.Consumer<PDDocument> metadata) {
        try (PDDocument pdf = new PDDocument()) {
            ChineseFontLibrary.EmbeddedFonts embedded = fonts.embedInto(pdf, text);
            PdfRendererBuilder builder = new PdfRendererBuilder()
                    .useFastMode()
                    .usePDDocument(pdf)
                    .withW3cDocument(dom, BASE_URI)
                    .useNamespaceHandler(new ParsedStylesheets(BASE_URI))
                    .useDefaultPageSize(210, 297, BaseRendererBuilder.PageSizeUnits.MM)
                    .useFont(new PDFontSupplier(embedded.body()), BODY_FAMILY)
                    .useFont(new PDFontSupplier(embedded.heading()), HEADING_FAMILY)
                    .withProducer(CREATOR)
                    // PDF/A-3b: only embedded fonts, an sRGB output intent; the XMP is written with the metadata
                    .usePdfAConformance(PdfRendererBuilder.PdfAConformance.PDFA_3_B)
                    .useColorProfile(ArchivalPdf.srgbProfile());
            lockDown(builder);
            boolean ownCatalog;
            try (PdfBoxRenderer renderer = builder.buildPdfRenderer()) {
                ownCatalog = skipLibraryXmp(renderer);
                renderer.layout();
                renderer.createPDFWithoutClosing();
            }
            if (ownCatalog) {
                ArchivalPdf.writeCatalog(pdf, dom.getDocumentElement().getAttribute("lang"));
            }
            metadata.accept(pdf);
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
            pdf.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new DocumentRenderingException("cannot render " + what, e);
        }
    }

    /**
     * openhtmltopdf's PDF/A mode builds an XMP packet with xmpbox on every document (schemas by reflection, a fresh
     * XML parser and transformer found by a class-path scan each time: a sixth of a short letter's render time), and
     * {@link ArchivalPdf#writeXmp} replaces that packet anyway. The renderer's conformance is read at two places: when
     * it is built (fonts, output device: PDF/A-3b stays in force there) and when the first page is written (the
     * packet). Setting it to none after the build skips only the packet; {@link ArchivalPdf#writeCatalog} then writes
     * the catalogue entries that came with it. Where the library's field is not found the library's packet stays.
     */
    private static boolean skipLibraryXmp(PdfBoxRenderer renderer) {
        if (CONFORMANCE == null) {
            return false;
        }
        try {
            CONFORMANCE.set(renderer, PdfRendererBuilder.PdfAConformance.NONE);
            return true;
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    /** PdfBoxRenderer's {@code _pdfAConformance}, or null when this openhtmltopdf has none (its packet is then kept). */
    private static final java.lang.reflect.Field CONFORMANCE = conformanceField();

    private static java.lang.reflect.Field conformanceField() {
        try {
            java.lang.reflect.Field f = PdfBoxRenderer.class.getDeclaredField("_pdfAConformance");
            if (f.getType() != PdfRendererBuilder.PdfAConformance.class) {
                return null;
            }
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            LOG.warn("openhtmltopdf's PDF/A conformance field not found: its XMP packet is built and then replaced ({})",
                    e.toString());
            return null;
        }
    }

    /** The XHTML a document is laid out from (for tests and troubleshooting). */
    String xhtml(DocumentType type, DocumentData data) {
        StringWriter out = new StringWriter(16 * 1024);
        try {
            templates.get(type).process(Map.of("d", data, "type", type, "fmt", formats), out);
        } catch (TemplateException | IOException e) {
            throw new DocumentRenderingException("template " + type.template() + " failed for case " + data.caseNo(), e);
        }
        return XmlText.stripInvalidCharacters(out.toString());
    }

    private static void requireSections(DocumentType type, DocumentData d) {
        switch (type) {
            case MATERIALS_NOTICE -> require(!d.missingMaterials().isEmpty(), type, "missingMaterials");
            case CONTACT_CARD -> require(!d.stepsAhead().isEmpty(), type, "stepsAhead");
            case SCHEME_REPLY -> require(d.scheme() != null, type, "scheme");
            case ACCEPTANCE_OPINION -> require(d.acceptance() != null, type, "acceptance");
            case CONTRACT -> {
                require(d.scheme() != null, type, "scheme");
                require(d.contract() != null, type, "contract");
            }
            case ASSET_TRANSFER_AGREEMENT -> {
                require(d.contract() != null, type, "contract");
                require(d.scheme() != null, type, "scheme");
                // no assets (a case answered before ASSET existed) prints the list as not answered, never invented ones
            }
            case ENERGIZATION_NOTICE -> require(d.energization() != null, type, "energization");
        }
    }

    private static void require(boolean present, DocumentType type, String section) {
        if (!present) {
            throw new IllegalArgumentException(type + " (" + type.title() + ") needs DocumentData." + section);
        }
    }

    private Document parse(String template, String html) {
        DocumentBuilder parser = xmlParsers.get();
        try {
            return parser.parse(new InputSource(new StringReader(html)));
        } catch (SAXException | IOException e) {
            throw new DocumentRenderingException("template " + template + " produced invalid XHTML", e);
        } finally {
            parser.reset();
        }
    }

    private void setMetadata(PDDocument pdf, DocumentType type, DocumentData data) {
        PDDocumentInformation info = stamp(pdf, type.title(), data.caseNo());
        info.setAuthor(data.issuer().companyName());
        info.setKeywords(data.documentNo() + ", " + data.caseNo() + ", " + type.name());
        Map<String, String> identifiers = new java.util.LinkedHashMap<>();
        identifiers.put("documentNo", data.documentNo());
        identifiers.put("caseNo", data.caseNo());
        identifiers.put("documentType", type.name());
        ArchivalPdf.writeXmp(pdf, identifiers);
    }

    /** What every PDF of the hub carries: title, subject, creator, producer, dates, language. */
    private PDDocumentInformation stamp(PDDocument pdf, String title, String subject) {
        PDDocumentInformation info = pdf.getDocumentInformation();
        info.setTitle(title);
        info.setSubject(subject);
        info.setCreator(CREATOR);
        info.setProducer(CREATOR + " (openhtmltopdf, PDFBox)");
        java.util.Calendar now = ArchivalPdf.pdfDate(clock.instant(), zone);
        info.setCreationDate(now);
        info.setModificationDate(now);
        pdf.getDocumentCatalog().setLanguage("zh-CN");
        return info;
    }

    /** The layout engine may load nothing at all: no URI resolves, no protocol opens, every access is denied. */
    private static void lockDown(PdfRendererBuilder builder) {
        FSStreamFactory refuse = uri -> {
            LOG.warn("customer document tried to load {}: refused", uri);
            return NOTHING;
        };
        builder.useUriResolver((base, uri) -> {
            if (!ParsedStylesheets.SHEET_URI.equals(uri)) { // the reused inline sheet: named, never loaded
                LOG.warn("customer document tried to resolve {}: refused", uri);
            }
            return null;
        });
        builder.useHttpStreamImplementation(refuse);
        builder.useProtocolsStreamImplementation(refuse,
                Set.of("file", "jar", "jrt", "http", "https", "ftp", "classpath", "data", "mailto", "about"));
        builder.useExternalResourceAccessControl((uri, kind) -> false, ExternalResourceControlPriority.RUN_BEFORE_RESOLVING_URI);
        builder.useExternalResourceAccessControl((uri, kind) -> false, ExternalResourceControlPriority.RUN_AFTER_RESOLVING_URI);
    }

    private static final FSStream NOTHING = new FSStream() {
        @Override
        public InputStream getStream() {
            return null;
        }

        @Override
        public Reader getReader() {
            return null;
        }
    };

    private static Configuration templateConfiguration() {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setClassForTemplateLoading(DocumentRenderer.class, "/documents/");
        cfg.setDefaultEncoding("UTF-8");
        cfg.setRecognizeStandardFileExtensions(true); // .ftlh: HTML output format, auto-escaping on
        cfg.setLocale(Locale.SIMPLIFIED_CHINESE);
        cfg.setNumberFormat("computer");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setAPIBuiltinEnabled(false);
        cfg.setTemplateUpdateDelayMilliseconds(Long.MAX_VALUE); // compiled once, never re-checked
        return cfg;
    }

    private static DocumentBuilder newXmlParser() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no secure XML parser", e);
        }
    }
}
