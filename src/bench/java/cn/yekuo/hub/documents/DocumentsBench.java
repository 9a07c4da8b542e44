package cn.yekuo.hub.documents;

import cn.yekuo.hub.rendering.ChineseFontLibrary;
import cn.yekuo.hub.rendering.DocumentData;
import cn.yekuo.hub.rendering.DocumentRenderer;
import cn.yekuo.hub.rendering.DocumentType;
import cn.yekuo.hub.rendering.DocumentsConfiguration;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;

import cn.yekuo.hub.bench.Results;

/**
 * Documents: each type through the hub's {@link DocumentRenderer} (FreeMarker, openhtmltopdf, subset fonts), against
 * ceiling (b) — PDFBox drawing that document's own text (extracted from the hub's rendering of it) line by line with
 * the same faces (compact when they cover the text, as in the hub), subset-embedded, and no layout engine — measured
 * in turn with the document, so that load on a shared machine hits both alike. The former ceiling, the supply-scheme
 * letter's text for every type, stays as a reference figure, and camel-pdf's own {@code create} on Latin text of the
 * letter's length (Standard 14 font; cannot draw Chinese) for scale.
 */
public final class DocumentsBench {

    private DocumentsBench() {
    }

    public static void run(Results results, int iterations) throws Exception {
        long t0 = System.nanoTime();
        ChineseFontLibrary fonts = ChineseFontLibrary.load();
        DocumentRenderer renderer = new DocumentRenderer(fonts);
        long t1 = System.nanoTime();
        // as the hub does in the background after start (DocumentsConfiguration): font tables and compact faces,
        // then every type once with placeholder data
        fonts.prepare();
        renderer.warmUp();
        long t2 = System.nanoTime();
        results.add("documents: fonts located + templates compiled at start", "ms", (t1 - t0) / 1e6);
        results.add("documents: background warm-up (fonts, compact faces, 7 types first ever in the JVM)", "ms", (t2 - t1) / 1e6);

        // the letter's text, as the layout engine put it on the page
        byte[] letter = renderer.render(DocumentType.SCHEME_REPLY, SampleDocuments.sample(DocumentType.SCHEME_REPLY));
        List<String> lines = textLines(letter);
        int chars = lines.stream().mapToInt(String::length).sum();
        String text = String.join("\n", lines);
        String latin = latin(chars);

        DefaultCamelContext camel = new DefaultCamelContext();
        camel.start();
        ProducerTemplate producer = camel.createProducerTemplate();

        for (DocumentType type : DocumentType.values()) {
            DocumentData data = SampleDocuments.sample(type);
            long s = System.nanoTime();
            renderer.render(type, data);
            double cold = (System.nanoTime() - s) / 1e6;
            results.add("document " + type + ": first after start (cold)", "ms", cold);
        }
        Histogram rawH = time(iterations, () -> drawRaw(fonts, lines, text));
        Histogram camelH = time(iterations, () -> (byte[]) producer.requestBody("pdf:create", latin, byte[].class));
        double rawP50 = ms(rawH, 50);
        double camelP50 = ms(camelH, 50);
        for (DocumentType type : DocumentType.values()) {
            DocumentData data = SampleDocuments.sample(type);
            // ceiling (b) of this type: its own text, as the layout engine put it on the page, drawn the same way
            List<String> own = textLines(renderer.render(type, data));
            String ownText = String.join("\n", own);
            int ownChars = own.stream().mapToInt(String::length).sum();
            long s = System.nanoTime();
            // the three interleaved, one of each in turn: a load change on the shared machine hits all three alike
            Histogram[] h = timeInterleaved(iterations, () -> renderer.render(type, data),
                    () -> drawRaw(fonts, own, ownText), () -> drawRaw(fonts, lines, text));
            double perSecond = iterations * 2 / ((System.nanoTime() - s) / 1e9);
            String name = "document " + type;
            String ceiling = "ceiling (b) PDFBox drawing its own text (" + own.size() + " lines, " + ownChars + " chars), same fonts";
            // the goal stays on the ceiling (b), the scheme letter's text; against a document's own text the
            // layout engine's fixed cost per document dominates the short ones, shown here without a goal
            results.add(name + ": warm p50", "ms", ms(h[0], 50), ceiling + ", p50", ms(h[1], 50), null);
            results.add(name + ": warm p99", "ms", ms(h[0], 99), ceiling + ", p99", ms(h[1], 99), null);
            results.add(name + ": warm docs/s (1 thread, with both ceilings in turn)", "docs/s", perSecond, "ceiling (b) of its own text docs/s",
                    1000.0 / h[1].getMean() * 1000, null);
            results.add(name + ": warm p50 vs the scheme letter's text (issue 19's ceiling (b))", "ms", ms(h[0], 50),
                    "ceiling (b) PDFBox text of the scheme letter, same fonts, p50", ms(h[2], 50), null,
                    cn.yekuo.hub.bench.Results.Goal.max(1.3));
            // CPU per document (the benchmark JVM's process CPU over a block of each): on a loaded machine wall time
            // also counts the waits for a core, more so for the renderer, which hands each layout to its own thread
            double cpuDoc = cpuMsEach(iterations, () -> renderer.render(type, data));
            double cpuOwn = cpuMsEach(iterations, () -> drawRaw(fonts, own, ownText));
            double cpuLetter = cpuMsEach(iterations, () -> drawRaw(fonts, lines, text));
            results.add(name + ": warm CPU per document", "ms", cpuDoc, "ceiling (b) of its own text, CPU per document", cpuOwn, null);
            results.add(name + ": warm CPU per document vs the scheme letter's text (reference)", "ms", cpuDoc,
                    "ceiling (b) of the scheme letter's text, CPU per document", cpuLetter, null);
            if (type == DocumentType.SCHEME_REPLY) {
                results.add(name + ": warm p50 vs camel-pdf create", "ms", ms(h[0], 50),
                        "camel-pdf create, " + chars + " Latin chars, p50", camelP50, "camel-pdf cannot draw Chinese: for scale only");
            }
        }
        results.add("ceiling (b) PDFBox text of the scheme letter (" + lines.size() + " lines, " + chars + " chars) p50", "ms", rawP50,
                "camel-pdf create, same length, p50", camelP50, null);
        camel.close();
        fonts.close();
    }

    private static Histogram time(int iterations, Supplier<byte[]> work) {
        for (int i = 0; i < iterations; i++) {
            work.get();
        }
        Histogram h = new Histogram(60_000_000L, 3);
        for (int i = 0; i < iterations * 2; i++) {
            long s = System.nanoTime();
            work.get();
            h.recordValue(Math.max(1, (System.nanoTime() - s) / 1000));
        }
        return h;
    }

    /** Each supplier once in turn, {@code iterations} rounds of warm-up then twice as many measured, one histogram each. */
    @SafeVarargs
    private static Histogram[] timeInterleaved(int iterations, Supplier<byte[]>... work) {
        for (int i = 0; i < iterations; i++) {
            for (Supplier<byte[]> w : work) {
                w.get();
            }
        }
        Histogram[] h = new Histogram[work.length];
        for (int k = 0; k < work.length; k++) {
            h[k] = new Histogram(60_000_000L, 3);
        }
        for (int i = 0; i < iterations * 2; i++) {
            for (int k = 0; k < work.length; k++) {
                long s = System.nanoTime();
                work[k].get();
                h[k].recordValue(Math.max(1, (System.nanoTime() - s) / 1000));
            }
        }
        return h;
    }

    /** The process CPU time per run of {@code work}, over {@code iterations} runs (after as many to warm up). */
    private static double cpuMsEach(int iterations, Supplier<byte[]> work) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < iterations; i++) {
            work.get();
        }
        long start = os.getProcessCpuTime();
        for (int i = 0; i < iterations; i++) {
            work.get();
        }
        return (os.getProcessCpuTime() - start) / 1e6 / iterations;
    }

    /** The printable, non-blank lines of a PDF's text, in reading order. */
    static List<String> textLines(byte[] pdf) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc).lines().map(DocumentsBench::printable).filter(l -> !l.isBlank()).toList();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * Ceiling (b): the letter's lines drawn straight onto A4 pages, title in the heading face, no layout engine. The
     * faces are chosen from the text as the hub chooses them (compact faces when they cover it).
     */
    static byte[] drawRaw(ChineseFontLibrary fonts, List<String> lines, String text) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ChineseFontLibrary.EmbeddedFonts f = fonts.embedInto(doc, text);
            PDPage page = null;
            PDPageContentStream cs = null;
            float y = 0;
            boolean first = true;
            for (String line : lines) {
                if (cs == null || y < 60) {
                    if (cs != null) {
                        cs.endText();
                        cs.close();
                    }
                    page = new PDPage(PDRectangle.A4);
                    doc.addPage(page);
                    cs = new PDPageContentStream(doc, page);
                    cs.beginText();
                    y = PDRectangle.A4.getHeight() - 60;
                    cs.newLineAtOffset(60, y);
                }
                cs.setFont(first ? f.heading() : f.body(), first ? 16 : 10.5f);
                cs.showText(line);
                cs.newLineAtOffset(0, -16);
                y -= 16;
                first = false;
            }
            if (cs != null) {
                cs.endText();
                cs.close();
            }
            doc.save(out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String printable(String line) {
        StringBuilder b = new StringBuilder();
        line.codePoints().filter(c -> !Character.isISOControl(c)).forEach(b::appendCodePoint);
        return b.toString().strip();
    }

    private static String latin(int chars) {
        String words = "The supply scheme for the new installation at the industrial park is approved as follows. ";
        StringBuilder b = new StringBuilder();
        while (b.length() < chars) {
            b.append(words);
        }
        return b.substring(0, chars);
    }

}
