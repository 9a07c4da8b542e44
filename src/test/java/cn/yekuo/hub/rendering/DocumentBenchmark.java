package cn.yekuo.hub.rendering;

import cn.yekuo.hub.documents.SampleDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Rendering speed of the customer documents (not a unit test). Prints, per type, the cold time (first document
 * after start, fonts parsed and compact faces built), warm p50/p99 and documents per second; optionally writes one
 * sample PDF per type. {@code -DfullFaces=true} skips the compact faces (every document gets the full faces);
 * {@code -Dcompare=true} then times full against compact faces, interleaved in the same JVM.
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java [-DwarmUp=true] [-DfullFaces=true] [-Dcompare=true] -cp target/classes:target/test-classes:$(cat target/cp.txt) cn.yekuo.hub.rendering.DocumentBenchmark [iterations] [pdf-dir]
 * </pre>
 */
public final class DocumentBenchmark {

    public static void main(String[] args) throws Exception {
        quietLogging();
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path outDir = args.length > 1 ? Path.of(args[1]) : null;

        long t0 = System.nanoTime();
        ChineseFontLibrary fonts = ChineseFontLibrary.load();
        long t1 = System.nanoTime();
        DocumentRenderer renderer = new DocumentRenderer(fonts);
        long t2 = System.nanoTime();
        System.out.printf("font library load: %.1f ms (%s)%n", (t1 - t0) / 1e6, fonts.description());
        System.out.printf("renderer (templates compiled): %.1f ms%n", (t2 - t1) / 1e6);

        // what the hub's background warm-up does first (DocumentsWarmUp): font tables and the compact faces
        long p = System.nanoTime();
        if (!Boolean.getBoolean("fullFaces")) {
            fonts.prepare();
        }
        System.out.printf("fonts.prepare() (tables, compact faces): %.1f ms (%s)%n", (System.nanoTime() - p) / 1e6,
                fonts.compactFacesDescription());
        if (Boolean.getBoolean("warmUp")) {
            long w = System.nanoTime();
            renderer.warmUp();
            System.out.printf("renderer.warmUp(): %.1f ms%n", (System.nanoTime() - w) / 1e6);
        }
        Map<DocumentType, Double> cold = new EnumMap<>(DocumentType.class);
        for (DocumentType type : DocumentType.values()) {
            DocumentData data = SampleDocuments.sample(type);
            long s = System.nanoTime();
            byte[] pdf = renderer.render(type, data);
            cold.put(type, (System.nanoTime() - s) / 1e6);
            if (outDir != null) {
                Files.createDirectories(outDir);
                Files.write(outDir.resolve(type.name().toLowerCase() + ".pdf"), pdf);
            }
        }
        if (outDir != null) {
            Files.write(outDir.resolve("acceptance_opinion_passed.pdf"),
                    renderer.render(DocumentType.ACCEPTANCE_OPINION, SampleDocuments.passedAcceptance()));
        }
        // warm-up
        for (int i = 0; i < Math.max(50, iterations / 2); i++) {
            for (DocumentType type : DocumentType.values()) {
                renderer.render(type, SampleDocuments.sample(type));
            }
        }
        System.out.printf("%-26s %9s %9s %9s %9s %8s%n", "type", "cold ms", "p50 ms", "p99 ms", "docs/s", "bytes");
        for (DocumentType type : DocumentType.values()) {
            DocumentData data = SampleDocuments.sample(type);
            double[] ms = new double[iterations];
            int size = 0;
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                long s = System.nanoTime();
                size = renderer.render(type, data).length;
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(ms);
            System.out.printf("%-26s %9.1f %9.1f %9.1f %9.1f %8d%n", type, cold.get(type),
                    ms[iterations / 2], ms[Math.min(iterations - 1, (int) Math.ceil(iterations * 0.99) - 1)],
                    iterations / seconds, size);
        }
        if (Boolean.getBoolean("compare")) {
            compareFaces(renderer, iterations);
        }
        fonts.close();
    }

    /**
     * Compact against full faces in the same JVM, interleaved document by document so that both see the same load
     * (the machine is shared): a second library whose compact faces are never built gives every document the full
     * faces, as before the compact faces existed.
     */
    private static void compareFaces(DocumentRenderer compact, int iterations) {
        try (ChineseFontLibrary fullFonts = ChineseFontLibrary.load()) {
            DocumentRenderer full = new DocumentRenderer(fullFonts);
            for (int i = 0; i < Math.max(20, iterations / 4); i++) {
                for (DocumentType type : DocumentType.values()) {
                    full.render(type, SampleDocuments.sample(type));
                }
            }
            System.out.printf("%n%-26s %12s %12s %12s %12s%n", "type (interleaved)", "full p50", "compact p50", "full p99", "compact p99");
            for (DocumentType type : DocumentType.values()) {
                DocumentData data = SampleDocuments.sample(type);
                double[] f = new double[iterations];
                double[] c = new double[iterations];
                for (int i = 0; i < iterations; i++) {
                    long s = System.nanoTime();
                    full.render(type, data);
                    f[i] = (System.nanoTime() - s) / 1e6;
                    s = System.nanoTime();
                    compact.render(type, data);
                    c[i] = (System.nanoTime() - s) / 1e6;
                }
                Arrays.sort(f);
                Arrays.sort(c);
                int p99 = Math.min(iterations - 1, (int) Math.ceil(iterations * 0.99) - 1);
                System.out.printf("%-26s %12.1f %12.1f %12.1f %12.1f%n", type, f[iterations / 2], c[iterations / 2], f[p99], c[p99]);
            }
        }
    }

    /**
     * As in production: root at INFO, and PDFBox's warning about the Standard 14 fonts openhtmltopdf registers
     * (and never uses) silenced, as {@code logging.level.org.apache.pdfbox.pdmodel.font.PDType1Font=ERROR} does.
     * Without a logback configuration the test classpath logs everything at DEBUG, which costs more than the
     * rendering.
     */
    private static void quietLogging() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
            ctx.getLogger("org.apache.pdfbox.pdmodel.font.PDType1Font").setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }
}
