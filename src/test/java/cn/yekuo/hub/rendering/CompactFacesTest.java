package cn.yekuo.hub.rendering;

import cn.yekuo.hub.documents.PdfInspection;
import cn.yekuo.hub.documents.SampleDocuments;
import cn.yekuo.hub.rendering.ChineseFontLibrary.Faces;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static cn.yekuo.hub.documents.PdfInspection.fullFacesRenderer;
import static cn.yekuo.hub.documents.PdfInspection.renderer;
import static cn.yekuo.hub.documents.PdfInspection.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Compact faces when they cover the document, full faces otherwise; the customer cannot tell which. */
class CompactFacesTest {

    private static final String RARE_NAME = "䶮喆新材料有限公司";

    @Test
    void aDocumentOfCommonCharactersIsEmbeddedWithTheCompactFaces() {
        ChineseFontLibrary fonts = PdfInspection.fontLibrary();
        long compactBefore = fonts.embedCount(Faces.COMPACT);
        long fullBefore = fonts.embedCount(Faces.FULL);

        renderer().render(DocumentType.SCHEME_REPLY, SampleDocuments.sample(DocumentType.SCHEME_REPLY));

        assertThat(fonts.embedCount(Faces.COMPACT)).isEqualTo(compactBefore + 1);
        assertThat(fonts.embedCount(Faces.FULL)).isEqualTo(fullBefore);
    }

    @Test
    void aDocumentWithACharacterOutsideTheCompactFacesGetsTheFullFacesAndShowsIt() throws Exception {
        ChineseFontLibrary fonts = PdfInspection.fontLibrary();
        DocumentData letter = SampleDocuments.base(DocumentType.SCHEME_REPLY, RARE_NAME).withScheme(SampleDocuments.scheme());
        long compactBefore = fonts.embedCount(Faces.COMPACT);
        long fullBefore = fonts.embedCount(Faces.FULL);

        byte[] pdf = renderer().render(DocumentType.SCHEME_REPLY, letter);

        assertThat(fonts.embedCount(Faces.FULL)).isEqualTo(fullBefore + 1);
        assertThat(fonts.embedCount(Faces.COMPACT)).isEqualTo(compactBefore);
        assertThat(PdfInspection.compactText(pdf)).contains(RARE_NAME, "供电方案答复函");
        assertThat(pdftotext(pdf).replaceAll("\\s+", "")).contains(RARE_NAME, "供电方案答复函");
    }

    @Test
    void pdftotextExtractsTheChineseTextOfACompactFacesDocument() throws Exception {
        byte[] pdf = renderer().render(DocumentType.SCHEME_REPLY, SampleDocuments.sample(DocumentType.SCHEME_REPLY));

        assertThat(pdftotext(pdf).replaceAll("\\s+", ""))
                .contains("供电方案答复函", "杭州东郊新材料有限公司", "110kV东郊变电站10kV东园线（925线）", "壹万贰仟捌佰元整");
    }

    @ParameterizedTest
    @EnumSource(DocumentType.class)
    void compactAndFullFacesGiveTheSameTextAndTheSamePage(DocumentType type) throws Exception {
        DocumentData data = SampleDocuments.sample(type);

        byte[] compact = renderer().render(type, data);
        byte[] full = fullFacesRenderer().render(type, data);

        assertThat(text(compact)).isEqualTo(text(full));
        assertThat(fontPrograms(compact)).as("the embedded font programs, byte for byte").isEqualTo(fontPrograms(full));
        assertThat(PdfInspection.pageCount(compact)).isEqualTo(PdfInspection.pageCount(full));
        assertThat(pixels(PdfInspection.firstPage(compact, 72))).as("first page at 72 dpi, pixel for pixel")
                .isEqualTo(pixels(PdfInspection.firstPage(full, 72)));
    }

    @Test
    void documentsRenderedWhileTheCompactFacesAreBuiltAreCorrect() throws Exception {
        try (ChineseFontLibrary fonts = ChineseFontLibrary.load()) {
            DocumentRenderer renderer = new DocumentRenderer(fonts);
            CompletableFuture<Void> building = CompletableFuture.runAsync(() -> {
                try {
                    fonts.prepare();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            List<String> texts = new ArrayList<>();
            do {
                texts.add(PdfInspection.compactText(renderer.render(DocumentType.SCHEME_REPLY,
                        SampleDocuments.sample(DocumentType.SCHEME_REPLY))));
            } while (!building.isDone());
            building.join();
            texts.add(PdfInspection.compactText(renderer.render(DocumentType.SCHEME_REPLY,
                    SampleDocuments.sample(DocumentType.SCHEME_REPLY))));

            assertThat(fonts.compactFacesDescription()).contains("UMingCN", "WenQuanYiZenHei");
            assertThat(texts).hasSizeGreaterThan(1).allSatisfy(t ->
                    assertThat(t).contains("供电方案答复函", "杭州东郊新材料有限公司", "110kV东郊变电站10kV东园线（925线）", "壹万贰仟捌佰元整"));
            assertThat(texts).containsOnly(texts.get(0));
        }
    }

    /** The embedded TrueType programs (FontFile2) of the document's fonts, in page order. */
    private static List<String> fontPrograms(byte[] pdf) throws Exception {
        try (PDDocument doc = PdfInspection.load(pdf)) {
            List<String> out = new ArrayList<>();
            for (PDFont font : PdfInspection.fonts(doc)) {
                if (font instanceof PDType0Font type0 && type0.getDescendantFont().getFontDescriptor().getFontFile2() != null) {
                    byte[] program = type0.getDescendantFont().getFontDescriptor().getFontFile2().toByteArray();
                    out.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(program)));
                }
            }
            return out;
        }
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    /** The text poppler's pdftotext extracts (what most viewers and indexers see). */
    private static String pdftotext(byte[] pdf) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/pdftotext")), "needs poppler-utils");
        Path file = Files.createTempFile("compact-faces", ".pdf");
        try {
            Files.write(file, pdf);
            Process p = new ProcessBuilder("/usr/bin/pdftotext", "-enc", "UTF-8", file.toString(), "-").start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).isZero();
            return text;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
