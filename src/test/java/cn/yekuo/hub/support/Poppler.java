package cn.yekuo.hub.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/**
 * A PDF as a reader sees it, through poppler-utils rather than the PDFBox that wrote it: {@code pdftoppm} renders
 * every page to PNG, {@code pdftotext} extracts the text.
 */
public final class Poppler {

    private Poppler() {
    }

    /** The text {@code pdftotext} extracts, with all whitespace (U+3000 too) removed: cells may split a phrase. */
    public static String compactText(byte[] pdf) {
        return text(pdf).replaceAll("[\\s\\u3000]+", "");
    }

    public static String text(byte[] pdf) {
        try {
            Path dir = Files.createTempDirectory("yk-poppler");
            try {
                Path in = Files.write(dir.resolve("in.pdf"), pdf);
                Path out = dir.resolve("out.txt");
                run(List.of("pdftotext", "-enc", "UTF-8", in.toString(), out.toString()));
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Renders every page with {@code pdftoppm} (72 dpi) into {@code target} as {@code <name>-<n>.png} and checks each
     * one is a readable A4 image with something drawn on it; returns the files.
     */
    public static List<Path> renderPages(byte[] pdf, Path target, String name) {
        try {
            Files.createDirectories(target);
            Path in = Files.write(target.resolve(name + ".pdf"), pdf);
            run(List.of("pdftoppm", "-r", "72", "-png", in.toString(), target.resolve(name).toString()));
            List<Path> pages;
            try (Stream<Path> files = Files.list(target)) {
                pages = new ArrayList<>(files.filter(p -> p.getFileName().toString().startsWith(name + "-")
                        && p.getFileName().toString().endsWith(".png")).sorted().toList());
            }
            assertThat(pages).as("pages of %s rendered", name).isNotEmpty();
            for (Path page : pages) {
                BufferedImage image = ImageIO.read(page.toFile());
                assertThat(image).as("%s is a PNG", page).isNotNull();
                assertThat(image.getHeight()).as("A4 portrait").isGreaterThan(image.getWidth());
                assertThat(darkPixels(image)).as("%s has text drawn on it", page).isGreaterThan(1_000);
            }
            return pages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long darkPixels(BufferedImage image) {
        long dark = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int luminance = ((rgb >> 16 & 0xff) * 3 + (rgb >> 8 & 0xff) * 6 + (rgb & 0xff)) / 10;
                if (luminance < 128) {
                    dark++;
                }
            }
        }
        return dark;
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IOException(command + " failed (" + process.exitValue() + "): " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
