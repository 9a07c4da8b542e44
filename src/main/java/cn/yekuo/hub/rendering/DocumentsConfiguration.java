package cn.yekuo.hub.rendering;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.rendering.ChineseFontLibrary.Candidates;
import cn.yekuo.hub.rendering.ChineseFontLibrary.FontFile;

/**
 * The font library, the renderer and their warm-up as shared beans. Without a Chinese TrueType font the hub does not
 * start: {@link ChineseFontsNotFoundException} names the paths checked and the Debian packages to install. A template
 * with a syntax error does not start either (templates are compiled when the renderer is built). Everything slow —
 * font tables, compact faces, the first render of each template — runs in the background ({@link DocumentsWarmUp}).
 */
@Configuration(proxyBeanMethods = false)
public class DocumentsConfiguration {

    /** Located and opened at start (fast), parsed by the warm-up; one per JVM, so not closed with the context. */
    @Bean(destroyMethod = "")
    ChineseFontLibrary chineseFontLibrary(HubProperties hub) {
        return ChineseFontLibrary.shared(candidates(hub.documents().fonts()));
    }

    /** Templates compiled here, synchronously: a broken template stops the start. */
    @Bean(destroyMethod = "close")
    DocumentRenderer documentRenderer(ChineseFontLibrary fonts, Clock clock, HubProperties hub) {
        return new DocumentRenderer(fonts, clock, hub.businessZone(), hub.documents().renderTimeout());
    }

    /** Fonts first (so the templates warm up the compact faces the customers will get), then every template once. */
    @Bean
    DocumentsWarmUp documentsWarmUp(ChineseFontLibrary fonts, DocumentRenderer renderer) {
        Map<String, DocumentsWarmUp.Step> steps = new LinkedHashMap<>();
        steps.put("fonts", fonts::prepare);
        for (DocumentType type : DocumentType.values()) {
            steps.put("template " + type.template(), () -> renderer.warmUp(type));
        }
        return new DocumentsWarmUp(steps);
    }

    /** Health component {@code documents}: the warm-up's state, the fonts in use and whether the compact faces are. */
    @Bean
    HealthIndicator documentsHealthIndicator(DocumentsWarmUp warmUp, ChineseFontLibrary fonts) {
        return () -> {
            Health state = warmUp.health();
            return Health.status(state.getStatus()).withDetails(state.getDetails())
                    .withDetail("fonts", fonts.description())
                    .withDetail("compactFaces", fonts.compactFacesDescription())
                    .withDetail("documentsByFaces", fonts.embedCounts())
                    .build();
        };
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
