package cn.yekuo.hub.documents;

import cn.yekuo.hub.rendering.ChineseFontLibrary;
import cn.yekuo.hub.rendering.DocumentRenderer;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads back what the renderer produced, with PDFBox. */
public final class PdfInspection {

    /** One renderer for all test classes: the fonts are parsed and the compact faces built once per JVM. */
    private static DocumentRenderer renderer;
    private static ChineseFontLibrary fonts;
    private static DocumentRenderer fullFacesRenderer;

    private PdfInspection() {
    }

    /** As in the hub after its warm-up: compact faces whenever they cover the document. */
    public static synchronized DocumentRenderer renderer() {
        if (renderer == null) {
            fonts = ChineseFontLibrary.load();
            try {
                fonts.prepare();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            renderer = new DocumentRenderer(fonts);
        }
        return renderer;
    }

    /** As in the hub before its warm-up has built the compact faces: every document gets the full faces. */
    public static synchronized DocumentRenderer fullFacesRenderer() {
        if (fullFacesRenderer == null) {
            fullFacesRenderer = new DocumentRenderer(ChineseFontLibrary.load());
        }
        return fullFacesRenderer;
    }

    public static synchronized ChineseFontLibrary fontLibrary() {
        renderer();
        return fonts;
    }

    public static PDDocument load(byte[] pdf) {
        try {
            return Loader.loadPDF(pdf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(byte[] pdf) {
        try (PDDocument doc = load(pdf)) {
            return new PDFTextStripper().getText(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Text with all whitespace removed: table cells and line breaks may split a phrase. */
    public static String compactText(byte[] pdf) {
        return text(pdf).replaceAll("\\s+", "");
    }

    public static int pageCount(byte[] pdf) {
        try (PDDocument doc = load(pdf)) {
            return doc.getNumberOfPages();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every font used on any page, including those of nested form XObjects. */
    public static List<PDFont> fonts(PDDocument doc) throws IOException {
        List<PDFont> out = new ArrayList<>();
        for (PDPage page : doc.getPages()) {
            collectFonts(page.getResources(), out, 0);
        }
        return out;
    }

    private static void collectFonts(PDResources resources, List<PDFont> out, int depth) throws IOException {
        if (resources == null || depth > 10) {
            return;
        }
        for (COSName name : resources.getFontNames()) {
            out.add(resources.getFont(name));
        }
        for (COSName name : resources.getXObjectNames()) {
            PDXObject x = resources.getXObject(name);
            if (x instanceof PDFormXObject form) {
                collectFonts(form.getResources(), out, depth + 1);
            }
        }
    }

    /** Number of image XObjects over all pages (the documents themselves contain none). */
    public static int imageCount(byte[] pdf) throws IOException {
        try (PDDocument doc = load(pdf)) {
            int n = 0;
            for (PDPage page : doc.getPages()) {
                PDResources r = page.getResources();
                for (COSName name : r.getXObjectNames()) {
                    if (r.getXObject(name) instanceof PDImageXObject) {
                        n++;
                    }
                }
            }
            return n;
        }
    }

    public static BufferedImage firstPage(byte[] pdf, float dpi) throws IOException {
        try (PDDocument doc = load(pdf)) {
            return new PDFRenderer(doc).renderImageWithDPI(0, dpi);
        }
    }

    /** Share of pixels that are not (near) white. */
    public static double inkRatio(BufferedImage image) {
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r + g + b < 600) {
                    ink++;
                }
            }
        }
        return (double) ink / ((long) image.getWidth() * image.getHeight());
    }
}
