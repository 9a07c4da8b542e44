package cn.yekuo.hub.process;

import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.time.SlaClock;
import cn.yekuo.hub.domain.time.TimeLimitRules;
import cn.yekuo.hub.domain.time.WorkingCalendar;
import cn.yekuo.hub.domain.workflow.CaseWorkflow;

/** The rules the process runs on: working-day calendar, time-limit rule sets, the workflow itself. */
@Configuration(proxyBeanMethods = false)
public class ProcessConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProcessConfiguration.class);

    /** One YAML file per year on the classpath; files in {@code yk.time.calendar-dir} replace or add years. */
    @Bean
    WorkingCalendar workingCalendar(HubProperties hub, java.time.Clock clock) {
        String overrideDir = hub.time().calendarDir();
        Path dir = overrideDir.isBlank() ? null : Path.of(overrideDir);
        if (dir != null && !Files.isDirectory(dir)) {
            log.warn("yk.time.calendar-dir {} does not exist: only the built-in calendar years are used", dir.toAbsolutePath());
        }
        WorkingCalendar calendar = WorkingCalendar.load(dir);
        int thisYear = java.time.LocalDate.now(clock.withZone(hub.businessZone())).getYear();
        var missing = calendar.missingYears(thisYear, thisYear + 1);
        if (!missing.isEmpty()) {
            log.error("NO HOLIDAY CALENDAR for {}: working days there fall back to Monday–Friday. Add calendar/<year>.yaml "
                    + "(State Council notice) to yk.time.calendar-dir", missing);
        }
        return calendar;
    }

    /** The built-in rule table, or the whole table from {@code yk.time.rules-file}. */
    @Bean
    TimeLimitRules timeLimitRules(HubProperties hub) {
        String rulesFile = hub.time().rulesFile();
        return rulesFile.isBlank() ? TimeLimitRules.loadDefault() : TimeLimitRules.load(Path.of(rulesFile));
    }

    @Bean
    SlaClock slaClock(WorkingCalendar calendar, HubProperties hub) {
        return new SlaClock(calendar, hub.businessZone());
    }

    @Bean
    CaseWorkflow caseWorkflow(HubProperties hub) {
        return new CaseWorkflow(hub.businessZone());
    }
}
