package cn.yekuo.hub.documents;

import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The two Chinese faces the customer documents are set in, found on the operating system: a Song/Ming face for
 * body text and a Hei face for headings.
 *
 * <p>Font files are located once, from a configurable list of candidates (first existing file holding the named
 * face wins), and their TrueType collections are parsed once and kept open for the life of the library; each
 * document then only gets a subset-embedded {@link PDType0Font} bound to its own {@link PDDocument}
 * ({@link #embedInto(PDDocument)}). Only TrueType-outline fonts can be embedded by PDFBox: CFF-based OpenType
 * fonts (Noto Sans CJK {@code .otf}, Source Han) are skipped.
 *
 * <p>When neither role can be filled, construction fails with {@link ChineseFontsNotFoundException} naming the
 * Debian packages to install. When only one role is found, it is used for both.
 *
 * <p>Thread-safe after construction: the parsed fonts are only read (fontbox synchronises its lazy table
 * loading), and every document gets its own {@link PDFont}s.
 */
public final class ChineseFontLibrary implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ChineseFontLibrary.class);

    /** A candidate font file and the face to take from it (PostScript or family name; ignored for a single .ttf). */
    public record FontFile(Path path, String face) {
        public FontFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(face, "face");
        }

        public static FontFile of(String path, String face) {
            return new FontFile(Path.of(path), face);
        }
    }

    /** Candidates for the body (Song/Ming) and heading (Hei) faces, tried in order. */
    public record Candidates(List<FontFile> body, List<FontFile> heading) {
        public Candidates {
            body = List.copyOf(body);
            heading = List.copyOf(heading);
        }

        /** Debian/Ubuntu, then RHEL/Fedora, then Windows, then macOS locations. */
        public static Candidates defaults() {
            String windows = System.getenv().getOrDefault("WINDIR", "C:\\Windows") + "\\Fonts\\";
            return new Candidates(
                    List.of(FontFile.of("/usr/share/fonts/truetype/arphic/uming.ttc", "UMingCN"),
                            FontFile.of("/usr/share/fonts/cjkuni-uming/uming.ttc", "UMingCN"),
                            FontFile.of("/usr/share/fonts/arphic-uming/uming.ttc", "UMingCN"),
                            FontFile.of(windows + "simsun.ttc", "SimSun"),
                            FontFile.of("/System/Library/Fonts/Supplemental/Songti.ttc", "STSongti-SC-Regular"),
                            FontFile.of("/Library/Fonts/Songti.ttc", "STSongti-SC-Regular")),
                    List.of(FontFile.of("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYiZenHei"),
                            FontFile.of("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", "WenQuanYiZenHei"),
                            FontFile.of(windows + "simhei.ttf", "SimHei"),
                            FontFile.of("/System/Library/Fonts/STHeiti Medium.ttc", "STHeitiSC-Medium"),
                            FontFile.of("/System/Library/Fonts/STHeiti Light.ttc", "STHeitiSC-Light")));
        }
    }

    /** The two faces bound to one document. */
    public record EmbeddedFonts(PDFont body, PDFont heading) {
    }

    private final List<Closeable> openFiles = new ArrayList<>();
    private final TrueTypeFont body;
    private final TrueTypeFont heading;
    private final String description;

    private ChineseFontLibrary(Candidates candidates) {
        List<String> tried = new ArrayList<>();
        Found bodyFound = find(candidates.body(), tried);
        Found headingFound = find(candidates.heading(), tried);
        if (bodyFound == null && headingFound == null) {
            closeQuietly();
            throw new ChineseFontsNotFoundException(
                    "No Chinese TrueType font found for the customer documents; checked: " + String.join(", ", tried)
                            + ". On Debian/Ubuntu install them with: " + ChineseFontsNotFoundException.DEBIAN_INSTALL_HINT
                            + " (RHEL: cjkuni-uming-fonts wqy-zenhei-fonts; Windows: SimSun/SimHei), "
                            + "or configure the font paths.");
        }
        this.body = (bodyFound != null ? bodyFound : headingFound).font;
        this.heading = (headingFound != null ? headingFound : bodyFound).font;
        this.description = "body=" + (bodyFound != null ? bodyFound : headingFound).where
                + ", heading=" + (headingFound != null ? headingFound : bodyFound).where;
        try {
            warmUp(body);
            warmUp(heading);
        } catch (IOException e) {
            closeQuietly();
            throw new ChineseFontsNotFoundException("Chinese font unreadable (" + description + "): " + e);
        }
        LOG.info("Chinese fonts for customer documents: {}", description);
    }

    /** Locates and parses the fonts at the default locations. */
    public static ChineseFontLibrary load() {
        return load(Candidates.defaults());
    }

    /** Locates and parses the fonts at the given locations; throws {@link ChineseFontsNotFoundException}. */
    public static ChineseFontLibrary load(Candidates candidates) {
        return new ChineseFontLibrary(candidates);
    }

    /**
     * Binds both faces to {@code doc}, subset-embedded (only the glyphs used end up in the PDF). Call once per
     * document.
     */
    public EmbeddedFonts embedInto(PDDocument doc) throws IOException {
        PDFont b = PDType0Font.load(doc, body, true);
        PDFont h = heading == body ? b : PDType0Font.load(doc, heading, true);
        return new EmbeddedFonts(b, h);
    }

    /** Which files and faces are in use, for logs and the health endpoint. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private record Found(TrueTypeFont font, String where) {
    }

    private Found find(List<FontFile> candidates, List<String> tried) {
        for (FontFile candidate : candidates) {
            Path path = candidate.path();
            if (!Files.isRegularFile(path)) {
                tried.add(path + " (missing)");
                continue;
            }
            try {
                TrueTypeFont font = open(candidate);
                if (font == null) {
                    tried.add(path + " (no face " + candidate.face() + ")");
                } else if (!font.getTableMap().containsKey("glyf")) {
                    tried.add(path + " (not TrueType outlines)");
                } else {
                    return new Found(font, path + "#" + font.getName());
                }
            } catch (IOException | RuntimeException e) {
                tried.add(path + " (unreadable: " + e.getMessage() + ")");
                LOG.warn("Cannot read font {}: {}", path, e.toString());
            }
        }
        return null;
    }

    private TrueTypeFont open(FontFile candidate) throws IOException {
        Path path = candidate.path();
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".ttc")) {
            TrueTypeCollection collection = new TrueTypeCollection(path.toFile());
            openFiles.add(collection);
            TrueTypeFont font = collection.getFontByName(candidate.face());
            if (font == null) {
                TrueTypeFont[] byFamily = new TrueTypeFont[1];
                collection.processAllFonts(ttf -> {
                    if (byFamily[0] == null && ttf.getNaming() != null
                            && candidate.face().equalsIgnoreCase(ttf.getNaming().getFontFamily())) {
                        byFamily[0] = ttf;
                    }
                });
                font = byFamily[0];
            }
            return font;
        }
        TrueTypeFont font = new TTFParser().parse(new RandomAccessReadBufferedFile(path.toFile()));
        openFiles.add(font);
        return font;
    }

    /** Parses the tables every document needs now, so the first document does not pay for it. */
    private static void warmUp(TrueTypeFont font) throws IOException {
        font.getHeader();
        font.getHorizontalHeader();
        font.getHorizontalMetrics();
        font.getMaximumProfile();
        font.getOS2Windows();
        font.getPostScript();
        font.getNaming();
        font.getUnicodeCmapLookup();
        font.getGlyph();
    }

    private void closeQuietly() {
        for (Closeable c : openFiles) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("closing font file: {}", e.toString());
            }
        }
        openFiles.clear();
    }
}
