package cn.yekuo.hub.monthly;

import java.io.IOException;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** The text of a report PDF, spaces and line breaks removed (Chinese table cells wrap). */
final class PdfText {

    private PdfText() {
    }

    static String of(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc).replaceAll("\\s+", "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
