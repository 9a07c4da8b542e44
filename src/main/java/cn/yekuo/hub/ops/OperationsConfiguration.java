package cn.yekuo.hub.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.time.WorkingCalendar;

/**
 * Health details beyond Boot's own (database {@code db}, broker {@code jms}): the Chinese fonts of the PDF
 * documents and the holiday calendar. Both report WARNING rather than DOWN: the hub still takes messages,
 * but documents or deadlines would be wrong (WARNING maps to HTTP 200, see application.yaml).
 */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    public static final Status WARNING = new Status("WARNING");

    /**
     * The TrueType collections the Docker image installs (fonts-arphic-uming, fonts-wqy-zenhei). The documents
     * feature may replace this bean ({@code fontsHealthIndicator}) with a check of the fonts it actually loads.
     */
    @Bean
    @ConditionalOnMissingBean(name = "fontsHealthIndicator")
    HealthIndicator fontsHealthIndicator(HubProperties hub) {
        List<String> fonts = hub.health().fonts();
        return () -> {
            Map<String, Object> found = new LinkedHashMap<>();
            List<String> missing = new ArrayList<>();
            for (String f : fonts) {
                boolean ok = Files.isReadable(Path.of(f));
                found.put(f, ok ? "present" : "missing");
                if (!ok) {
                    missing.add(f);
                }
            }
            Health.Builder h = missing.isEmpty() ? Health.up() : Health.status(WARNING)
                    .withDetail("warning", "Chinese fonts missing: PDF documents cannot be rendered correctly");
            return h.withDetails(found).build();
        };
    }

    /** This year's and next year's State Council holiday notices, and years already computed without one. */
    @Bean
    HealthIndicator calendarHealthIndicator(WorkingCalendar calendar, Clock clock, HubProperties hub) {
        return () -> {
            int year = LocalDate.now(clock.withZone(hub.businessZone())).getYear();
            var missing = calendar.missingYears(year, year + 1);
            var usedWithout = calendar.yearsUsedWithoutData();
            Health.Builder h = missing.isEmpty() && usedWithout.isEmpty() ? Health.up() : Health.status(WARNING)
                    .withDetail("warning", "working days of years without a holiday notice fall back to Monday–Friday");
            return h.withDetail("loadedYears", calendar.loadedYears())
                    .withDetail("missingYears", missing)
                    .withDetail("yearsUsedWithoutData", usedWithout)
                    .build();
        };
    }
}
