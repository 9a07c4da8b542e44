package cn.yekuo.hub.documents;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.documents.ChineseFontLibrary.Candidates;
import cn.yekuo.hub.documents.ChineseFontLibrary.FontFile;

/**
 * The font library and the renderer as shared beans. Without a Chinese TrueType font the hub does not start:
 * {@link ChineseFontsNotFoundException} names the paths checked and the Debian packages to install.
 */
@Configuration(proxyBeanMethods = false)
public class DocumentsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DocumentsConfiguration.class);

    /** Parsed once, closed with the context. */
    @Bean(destroyMethod = "close")
    ChineseFontLibrary chineseFontLibrary(HubProperties hub) {
        return ChineseFontLibrary.load(candidates(hub.documents().fonts()));
    }

    /**
     * Font tables parsed and compact faces built, then every template rendered once at start: a broken template stops
     * the start, the first customer waits less.
     */
    @Bean
    DocumentRenderer documentRenderer(ChineseFontLibrary fonts, Clock clock) {
        DocumentRenderer renderer = new DocumentRenderer(fonts, clock);
        long start = System.nanoTime();
        try {
            fonts.prepare();
        } catch (java.io.IOException e) {
            throw new ChineseFontsNotFoundException("Chinese font unreadable (" + fonts.description() + "): " + e);
        }
        renderer.warmUp();
        log.info("Customer document templates warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
        return renderer;
    }

    /** Configured files first, then (unless disabled) the built-in locations. */
    static Candidates candidates(HubProperties.Documents.Fonts fonts) {
        Candidates defaults = fonts.useDefaults() ? Candidates.defaults() : new Candidates(List.of(), List.of());
        return new Candidates(concat(parse(fonts.body()), defaults.body()), concat(parse(fonts.heading()), defaults.heading()));
    }

    private static List<FontFile> parse(List<String> entries) {
        List<FontFile> out = new ArrayList<>();
        for (String entry : entries == null ? List.<String>of() : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            int hash = entry.lastIndexOf('#');
            out.add(hash < 0 ? FontFile.of(entry.strip(), "")
                    : FontFile.of(entry.substring(0, hash).strip(), entry.substring(hash + 1).strip()));
        }
        return out;
    }

    private static List<FontFile> concat(List<FontFile> a, List<FontFile> b) {
        List<FontFile> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
