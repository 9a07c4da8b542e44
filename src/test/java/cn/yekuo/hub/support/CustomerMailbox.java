package cn.yekuo.hub.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** What a customer finds in a document mail: the PDF attachment, its file name and its text. */
public final class CustomerMailbox {

    private CustomerMailbox() {
    }

    public record Attachment(String fileName, String contentType, byte[] bytes) {
        /** The PDF's text with all whitespace removed (table cells and line breaks split phrases). */
        public String compactText() {
            return compact(pdfText(bytes));
        }
    }

    public static Attachment attachment(MimeMessage m) {
        try {
            Multipart mp = (Multipart) m.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                Part p = mp.getBodyPart(i);
                if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
                    try (InputStream in = p.getInputStream()) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        in.transferTo(out);
                        return new Attachment(p.getFileName(), p.getContentType(), out.toByteArray());
                    }
                }
            }
            throw new AssertionError("no attachment in " + m.getSubject());
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pdfText(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String compact(String s) {
        return s.replaceAll("\\s+", "");
    }
}
