package cn.yekuo.hub.rendering;

import cn.yekuo.hub.documents.PdfInspection;
import cn.yekuo.hub.rendering.ChineseFontLibrary.Candidates;
import cn.yekuo.hub.rendering.ChineseFontLibrary.Faces;
import cn.yekuo.hub.rendering.ChineseFontLibrary.FontFile;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ChineseFontLibraryTest {

    private static final FontFile UMING = FontFile.of("/usr/share/fonts/truetype/arphic/uming.ttc", "UMingCN");
    private static final FontFile ZENHEI = FontFile.of("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYiZenHei");

    @BeforeEach
    void debianFontsInstalled() {
        assumeTrue(Files.isRegularFile(UMING.path()) && Files.isRegularFile(ZENHEI.path()),
                "needs " + ChineseFontsNotFoundException.DEBIAN_INSTALL_HINT);
    }

    @Test
    void missingFontsGiveAnExceptionNamingTheDebianPackagesToInstall(@TempDir Path dir) {
        Candidates nowhere = new Candidates(List.of(new FontFile(dir.resolve("uming.ttc"), "UMingCN")),
                List.of(new FontFile(dir.resolve("simhei.ttf"), "SimHei")));

        assertThatThrownBy(() -> ChineseFontLibrary.load(nowhere))
                .isInstanceOf(ChineseFontsNotFoundException.class)
                .hasMessageContaining("apt-get install fonts-arphic-uming fonts-wqy-zenhei")
                .hasMessageContaining(dir.resolve("uming.ttc").toString());
    }

    @Test
    void aFileThatIsNotAFontCountsAsMissing(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("simsun.ttc"), "not a font");

        assertThatThrownBy(() -> ChineseFontLibrary.load(new Candidates(List.of(new FontFile(junk, "SimSun")), List.of())))
                .isInstanceOf(ChineseFontsNotFoundException.class)
                .hasMessageContaining("fonts-arphic-uming");
    }

    @Test
    void facesArePickedByNameFromTheDebianCollections() {
        try (ChineseFontLibrary fonts = ChineseFontLibrary.load(new Candidates(List.of(UMING), List.of(ZENHEI)))) {
            assertThat(fonts.description()).contains("uming.ttc#UMingCN", "wqy-zenhei.ttc#WenQuanYiZenHei");
        }
    }

    @Test
    void defaultsFindTheDebianFonts() {
        try (ChineseFontLibrary fonts = ChineseFontLibrary.load()) {
            assertThat(fonts.description()).contains("UMingCN", "WenQuanYiZenHei");
        }
    }

    @Test
    void candidatesAreTriedInOrderAndACollectionWithoutTheFaceIsSkipped(@TempDir Path dir) {
        Candidates c = new Candidates(
                List.of(new FontFile(dir.resolve("missing.ttc"), "UMingCN"), FontFile.of(UMING.path().toString(), "NoSuchFace"),
                        UMING),
                List.of(ZENHEI));

        try (ChineseFontLibrary fonts = ChineseFontLibrary.load(c)) {
            assertThat(fonts.description()).contains("body=" + UMING.path() + "#UMingCN");
        }
    }

    @Test
    void oneFaceFoundServesBothBodyAndHeadings(@TempDir Path dir) {
        Candidates c = new Candidates(List.of(new FontFile(dir.resolve("simsun.ttc"), "SimSun")), List.of(ZENHEI));

        try (ChineseFontLibrary fonts = ChineseFontLibrary.load(c)) {
            assertThat(fonts.description()).contains("body=" + ZENHEI.path(), "heading=" + ZENHEI.path());
        }
    }

    @Test
    void theCompactFacesHaveEveryGb2312CharacterTheFullFacesHaveWithTheSameWidth() throws Exception {
        ChineseFontLibrary fonts = PdfInspection.fontLibrary();
        BitSet gb2312 = CommonCharacters.gb2312();
        assertThat(gb2312.cardinality()).isEqualTo(7445);

        List<TrueTypeFont> full = fonts.faces(Faces.FULL);
        List<TrueTypeFont> compact = fonts.faces(Faces.COMPACT);
        assertThat(compact).hasSize(2);
        for (int face = 0; face < 2; face++) {
            CmapLookup fullCmap = full.get(face).getUnicodeCmapLookup();
            CmapLookup compactCmap = compact.get(face).getUnicodeCmapLookup();
            int present = 0;
            for (int cp = gb2312.nextSetBit(0); cp >= 0; cp = gb2312.nextSetBit(cp + 1)) {
                int fullGid = fullCmap.getGlyphId(cp);
                int compactGid = compactCmap.getGlyphId(cp);
                assertThat(compactGid != 0).as("U+%04X in %s", cp, full.get(face).getName()).isEqualTo(fullGid != 0);
                if (fullGid != 0) {
                    present++;
                    assertThat(compact.get(face).getAdvanceWidth(compactGid)).isEqualTo(full.get(face).getAdvanceWidth(fullGid));
                }
            }
            assertThat(present).as("GB2312 characters in %s", full.get(face).getName()).isGreaterThan(7400);
            assertThat(compact.get(face).getNumberOfGlyphs()).isLessThan(full.get(face).getNumberOfGlyphs() / 3);
        }
        assertThat(fonts.compactFacesCover(codePoints(gb2312))).isTrue();
    }

    @Test
    void theCompactFacesCoverTheTextOfEveryTemplate() throws Exception {
        ChineseFontLibrary fonts = PdfInspection.fontLibrary();
        try (var files = Files.list(Path.of("src/main/resources/documents"))) {
            for (Path template : files.toList()) {
                assertThat(fonts.compactFacesCover(Files.readString(template))).as(template.toString()).isTrue();
            }
        }
    }

    @Test
    void aCharacterOutsideTheCompactFacesThatAFullFaceHasNeedsTheFullFaces() {
        ChineseFontLibrary fonts = PdfInspection.fontLibrary();

        assertThat(fonts.compactFacesCover("杭州东郊新材料有限公司 YJV22-8.7/15-3×70 ① ㎡ —— “供电方案”")).isTrue();
        // 䶮 (CJK extension A) and 喆 (GBK, common in names) are in both full faces but not in GB2312
        assertThat(fonts.compactFacesCover("客户：王䶮")).isFalse();
        assertThat(fonts.compactFacesCover("联系人：张喆")).isFalse();
        // 𠮷 is in neither full face: compact or full, it cannot be drawn, so the compact faces do as well
        assertThat(fonts.compactFacesCover("𠮷野家")).isTrue();
    }

    @Test
    void documentsGetTheCompactFacesWhenTheyCoverTheTextAndTheFullFacesOtherwise() throws Exception {
        ChineseFontLibrary fonts = PdfInspection.fontLibrary();
        try (PDDocument a = new PDDocument(); PDDocument b = new PDDocument(); PDDocument c = new PDDocument()) {
            ChineseFontLibrary.EmbeddedFonts common = fonts.embedInto(a, "供电方案答复函");
            ChineseFontLibrary.EmbeddedFonts rare = fonts.embedInto(b, "王䶮");
            ChineseFontLibrary.EmbeddedFonts always = fonts.embedInto(c);

            assertThat(common.faces()).isEqualTo(Faces.COMPACT);
            assertThat(rare.faces()).isEqualTo(Faces.FULL);
            assertThat(always.faces()).as("embedInto without text keeps the full faces").isEqualTo(Faces.FULL);
            assertThat(common.body().getName()).contains("UMingCN");
            assertThat(common.heading().getName()).contains("WenQuanYiZenHei");
            assertThat(common.body().isEmbedded()).isTrue();
        }
    }

    @Test
    void beforePrepareEveryDocumentGetsTheFullFaces() throws Exception {
        try (ChineseFontLibrary fonts = ChineseFontLibrary.load(new Candidates(List.of(UMING), List.of(ZENHEI)));
             PDDocument doc = new PDDocument()) {
            assertThat(fonts.compactFacesCover("供电方案答复函")).isFalse();
            assertThat(fonts.embedInto(doc, "供电方案答复函").faces()).isEqualTo(Faces.FULL);
            assertThat(fonts.compactFacesDescription()).contains("not built yet");
        }
    }

    private static String codePoints(BitSet set) {
        StringBuilder out = new StringBuilder();
        set.stream().forEach(out::appendCodePoint);
        return out.toString();
    }

    @Test
    void eachDocumentGetsItsOwnSubsetEmbeddedFonts() throws Exception {
        try (ChineseFontLibrary fonts = ChineseFontLibrary.load(new Candidates(List.of(UMING), List.of(ZENHEI)));
             PDDocument a = new PDDocument(); PDDocument b = new PDDocument()) {
            ChineseFontLibrary.EmbeddedFonts fa = fonts.embedInto(a);
            ChineseFontLibrary.EmbeddedFonts fb = fonts.embedInto(b);

            assertThat(fa.body()).isNotSameAs(fb.body());
            assertThat(fa.body().isEmbedded()).isTrue();
            assertThat(fa.heading().isEmbedded()).isTrue();
            assertThat(fa.body().getName()).contains("UMingCN");
            assertThat(fa.heading().getName()).contains("WenQuanYiZenHei");
        }
    }
}
