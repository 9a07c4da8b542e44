package cn.yekuo.hub.documents;

import cn.yekuo.hub.documents.ChineseFontLibrary.Candidates;
import cn.yekuo.hub.documents.ChineseFontLibrary.FontFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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
