package cn.yekuo.hub.rendering;

import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TTFSubsetter;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.fontbox.ttf.model.GsubData;
import org.apache.fontbox.ttf.model.Language;
import org.apache.fontbox.ttf.model.ScriptFeature;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two Chinese faces the customer documents are set in, found on the operating system: a Song/Ming face for
 * body text and a Hei face for headings.
 *
 * <p>Font files are located once, from a configurable list of candidates (first existing file holding the named
 * face wins), and their TrueType collections are parsed once and kept open for the life of the library; each
 * document then only gets a subset-embedded {@link PDType0Font} bound to its own {@link PDDocument}
 * ({@link #embedInto(PDDocument, CharSequence)}). Only TrueType-outline fonts can be embedded by PDFBox: CFF-based
 * OpenType fonts (Noto Sans CJK {@code .otf}, Source Han) are skipped.
 *
 * <p>Compact faces: PDFBox's cost of binding a face to a document grows with the face's glyph count (widths array,
 * CID map), not with the text, and the full faces have 27,000 and 45,000 glyphs. {@link #prepare()} therefore builds
 * once, in memory, a compact copy of each face holding only the glyphs of {@link CommonCharacters} (GB2312,
 * ASCII/Latin-1, punctuation, full-width forms, common symbols: about 8,100 and 8,300 glyphs with the Debian
 * fonts). A document whose every character the compact faces draw exactly as the full faces gets the compact faces;
 * any other document (a rare character in a name) gets the full faces. The glyph outlines and widths are the same,
 * so the page looks the same.
 *
 * <p>When neither role can be filled, construction fails with {@link ChineseFontsNotFoundException} naming the
 * Debian packages to install. When only one role is found, it is used for both.
 *
 * <p>Construction only locates and opens the files (fast, so a missing font fails the start at once); the tables
 * are parsed on first use or by {@link #prepare()}, which the hub runs on a background thread at start.
 *
 * <p>Thread-safe after construction: the parsed fonts are only read (fontbox synchronises its lazy table
 * loading), the compact faces are published once complete, and every document gets its own {@link PDFont}s.
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

    /** Which copy of the two faces a document was given. */
    public enum Faces {
        /** The faces as installed: every glyph. */
        FULL,
        /** The copies built by {@link #prepare()}: only the glyphs of {@link CommonCharacters}. */
        COMPACT
    }

    /** The two faces bound to one document, and which copy they are. */
    public record EmbeddedFonts(PDFont body, PDFont heading, Faces faces) {
    }

    /**
     * Tables the compact faces keep: those PDFBox's TrueTypeEmbedder keeps in a document's subset (so that subset is
     * byte for byte the one the full face gives), plus cmap, post, name and OS/2 so that PDFBox can load the compact
     * face like any font. GSUB/GPOS would refer to the old glyph ids, so they go (see {@link #gsubSequencesInside}).
     */
    private static final List<String> COMPACT_TABLES = List.of("head", "hhea", "loca", "maxp", "cvt ", "prep", "glyf",
            "hmtx", "fpgm", "gasp", "cmap", "post", "name", "OS/2");

    /** The GSUB features PDFBox applies to Latin-script fonts in PDPageContentStream.showText (GsubWorkerForLatin). */
    private static final List<String> APPLIED_GSUB_FEATURES = List.of("ccmp", "liga", "clig");

    /** The compact copies and the code points they draw exactly as the full faces. */
    private record CompactFaces(TrueTypeFont body, TrueTypeFont heading, BitSet sameInBmp, CmapLookup fullBodyCmap,
                                CmapLookup fullHeadingCmap, String description) {
    }

    private final List<Closeable> openFiles = new ArrayList<>();
    private final TrueTypeFont body;
    private final TrueTypeFont heading;
    private final String description;
    private volatile CompactFaces compact;
    private final AtomicLong compactEmbeds = new AtomicLong();
    private final AtomicLong fullEmbeds = new AtomicLong();
    private volatile String compactUnavailable;
    private boolean prepared;

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
        LOG.info("Chinese fonts for customer documents: {}", description);
    }

    /** One library per set of candidates in this JVM: see {@link #shared}. */
    private static final java.util.Map<Candidates, ChineseFontLibrary> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The library of these candidates that every hub of this JVM uses, located, opened and (by {@link #prepare()})
     * parsed once: a JVM running several hubs (the test suite) would otherwise hold their ~95 MB of parsed faces per
     * hub. Never closed: its files stay open for the life of the JVM. A failed location is not remembered.
     */
    public static ChineseFontLibrary shared(Candidates candidates) {
        return SHARED.computeIfAbsent(candidates, ChineseFontLibrary::load);
    }

    /** Locates and opens the fonts at the default locations. */
    public static ChineseFontLibrary load() {
        return load(Candidates.defaults());
    }

    /** Locates and opens the fonts at the given locations; throws {@link ChineseFontsNotFoundException}. */
    public static ChineseFontLibrary load(Candidates candidates) {
        return new ChineseFontLibrary(candidates);
    }

    /**
     * Parses the tables of the full faces and builds the compact faces: seconds of work, meant for a background
     * thread at start. Until it has run, every document gets the full faces (correct, only slower). Runs once; later
     * calls return at once.
     *
     * @throws IOException when a full face cannot be read (documents cannot be rendered either); a compact face that
     *                     cannot be built is only logged, and documents keep the full faces
     */
    public synchronized void prepare() throws IOException {
        if (prepared) {
            return;
        }
        parseTables(body);
        parseTables(heading);
        try {
            compact = buildCompactFaces();
            LOG.info("Compact Chinese faces for customer documents: {}", compact.description());
        } catch (IOException | RuntimeException e) {
            compactUnavailable = e.toString();
            LOG.warn("Compact Chinese faces cannot be built, every document gets the full faces: {}", e.toString());
        }
        prepared = true;
    }

    /**
     * Binds both full faces to {@code doc}, subset-embedded (only the glyphs used end up in the PDF). Call once per
     * document.
     */
    public EmbeddedFonts embedInto(PDDocument doc) throws IOException {
        return embed(doc, body, heading, Faces.FULL);
    }

    /**
     * Binds both faces to {@code doc}, subset-embedded: the compact faces when they are built and draw every
     * character of {@code text} exactly as the full faces do, else the full faces. {@code text} is everything the
     * document may show (its whole XHTML will do: markup and stylesheet are plain ASCII). Call once per document.
     */
    public EmbeddedFonts embedInto(PDDocument doc, CharSequence text) throws IOException {
        CompactFaces c = compact;
        if (c != null && covers(c, text)) {
            return embed(doc, c.body(), c.heading(), Faces.COMPACT);
        }
        return embedInto(doc);
    }

    /** Whether a document of {@code text} would get the compact faces now. */
    public boolean compactFacesCover(CharSequence text) {
        CompactFaces c = compact;
        return c != null && covers(c, text);
    }

    /** The compact faces for logs and the health endpoint: glyph counts, or why there are none (yet). */
    public String compactFacesDescription() {
        CompactFaces c = compact;
        if (c != null) {
            return c.description();
        }
        String why = compactUnavailable;
        return why != null ? "unavailable (" + why + "), full faces used" : "not built yet, full faces used";
    }

    /** Body and heading face of {@code which} (empty for compact faces not built); for tests. */
    List<TrueTypeFont> faces(Faces which) {
        CompactFaces c = compact;
        if (which == Faces.FULL) {
            return List.of(body, heading);
        }
        return c == null ? List.of() : List.of(c.body(), c.heading());
    }

    /** How many documents got each pair of faces so far: how often a rare character costs the full faces. */
    public String embedCounts() {
        return "compact " + compactEmbeds.get() + ", full " + fullEmbeds.get();
    }

    /** Number of documents that got {@code faces} so far. */
    long embedCount(Faces faces) {
        return (faces == Faces.COMPACT ? compactEmbeds : fullEmbeds).get();
    }

    private EmbeddedFonts embed(PDDocument doc, TrueTypeFont bodyFace, TrueTypeFont headingFace, Faces faces)
            throws IOException {
        (faces == Faces.COMPACT ? compactEmbeds : fullEmbeds).incrementAndGet();
        PDFont b = PDType0Font.load(doc, bodyFace, true);
        PDFont h = headingFace == bodyFace ? b : PDType0Font.load(doc, headingFace, true);
        return new EmbeddedFonts(b, h, faces);
    }

    /** Every character is one the compact faces draw as the full faces do, or one neither full face has. */
    private boolean covers(CompactFaces c, CharSequence text) {
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            boolean same = cp <= 0xFFFF ? c.sameInBmp().get(cp)
                    : c.fullBodyCmap().getGlyphId(cp) == 0 && c.fullHeadingCmap().getGlyphId(cp) == 0;
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private CompactFaces buildCompactFaces() throws IOException {
        BitSet repertoire = CommonCharacters.codePoints();
        // a GSUB substitution the full face would make must not be silently lost: its characters go to the full faces
        repertoire.andNot(gsubSequencesInside(body, repertoire));
        repertoire.andNot(gsubSequencesInside(heading, repertoire));
        TrueTypeFont compactBody = compactCopy(body, repertoire);
        TrueTypeFont compactHeading = heading == body ? compactBody : compactCopy(heading, repertoire);
        // precomputed so that the per-document check is one bit per character
        CmapLookup bodyCmap = body.getUnicodeCmapLookup();
        CmapLookup headingCmap = heading.getUnicodeCmapLookup();
        BitSet same = new BitSet(0x10000);
        for (int cp = 0; cp <= 0xFFFF; cp++) {
            if (repertoire.get(cp) || bodyCmap.getGlyphId(cp) == 0 && headingCmap.getGlyphId(cp) == 0) {
                same.set(cp);
            }
        }
        String what = "body " + compactBody.getName() + " " + compactBody.getNumberOfGlyphs() + " of "
                + body.getNumberOfGlyphs() + " glyphs, heading " + compactHeading.getName() + " "
                + compactHeading.getNumberOfGlyphs() + " of " + heading.getNumberOfGlyphs() + " glyphs";
        return new CompactFaces(compactBody, compactHeading, same, bodyCmap, headingCmap, what);
    }

    /** A TrueType font in memory with the glyphs of {@code repertoire} only, checked to be usable like the original. */
    private TrueTypeFont compactCopy(TrueTypeFont full, BitSet repertoire) throws IOException {
        TTFSubsetter subsetter = new TTFSubsetter(full, COMPACT_TABLES);
        repertoire.stream().forEach(subsetter::add);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 << 20);
        subsetter.writeToStream(bytes);
        TrueTypeFont copy = new TTFParser().parse(new RandomAccessReadBuffer(bytes.toByteArray()));
        parseTables(copy);
        if (!full.getName().equals(copy.getName())) {
            throw new IOException("compact copy of " + full.getName() + " is named " + copy.getName());
        }
        CmapLookup fullCmap = full.getUnicodeCmapLookup();
        CmapLookup copyCmap = copy.getUnicodeCmapLookup();
        for (int cp = repertoire.nextSetBit(0); cp >= 0; cp = repertoire.nextSetBit(cp + 1)) {
            int fullGid = fullCmap.getGlyphId(cp);
            int copyGid = copyCmap.getGlyphId(cp);
            if ((fullGid == 0) != (copyGid == 0)
                    || fullGid != 0 && full.getAdvanceWidth(fullGid) != copy.getAdvanceWidth(copyGid)) {
                throw new IOException("compact copy of " + full.getName() + " differs at U+" + Integer.toHexString(cp));
            }
        }
        return copy;
    }

    /**
     * Code points of the GSUB substitutions PDFBox would apply with {@code face} whose glyphs all lie in the compact
     * copy: the compact copy has no GSUB, so a text containing one must get the full faces. (UMingCN's substitute
     * only sequences with characters outside the repertoire, so nothing is taken out with the Debian fonts.)
     */
    private static BitSet gsubSequencesInside(TrueTypeFont face, BitSet repertoire) throws IOException {
        BitSet out = new BitSet();
        GsubData gsub = face.getGsubData();
        if (gsub == GsubData.NO_DATA_FOUND) {
            return out;
        }
        if (gsub.getLanguage() != Language.LATIN) {
            // PDFBox shapes such scripts (Indic) with its own rules: a compact copy could not be trusted to match
            throw new IOException(face.getName() + " has GSUB rules for " + gsub.getLanguage());
        }
        CmapLookup cmap = face.getUnicodeCmapLookup();
        for (String feature : APPLIED_GSUB_FEATURES) {
            if (!gsub.isFeatureSupported(feature)) {
                continue;
            }
            ScriptFeature rules = gsub.getFeature(feature);
            for (List<Integer> sequence : rules.getAllGlyphIdsForSubstitution()) {
                BitSet chars = new BitSet();
                boolean allInside = true;
                for (int gid : sequence) {
                    List<Integer> codes = cmap.getCharCodes(gid);
                    boolean inside = false;
                    for (int cp : codes == null ? List.<Integer>of() : codes) {
                        chars.set(cp);
                        inside |= repertoire.get(cp);
                    }
                    allInside &= inside;
                }
                if (allInside) {
                    out.or(chars);
                }
            }
        }
        return out;
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
    private static void parseTables(TrueTypeFont font) throws IOException {
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
