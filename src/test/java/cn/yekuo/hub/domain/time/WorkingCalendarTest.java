package cn.yekuo.hub.domain.time;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkingCalendarTest {

    private final WorkingCalendar calendar = WorkingCalendar.fromClasspath();

    private static LocalDate d(String iso) {
        return LocalDate.parse(iso);
    }

    @Test
    void shipsTheStateCouncilNoticesFor2025And2026WithTheirSource() {
        assertThat(calendar.loadedYears()).containsExactly(2025, 2026);
        assertThat(calendar.year(2026)).hasValueSatisfying(y -> {
            assertThat(y.source()).contains("2026年部分节假日安排").contains("2025-11-04");
            assertThat(y.location()).isEqualTo("classpath:calendar/2026.yaml");
            assertThat(y.holidays()).hasSize(3 + 9 + 3 + 5 + 3 + 3 + 7);
            assertThat(y.workdays()).hasSize(6);
        });
        assertThat(calendar.year(2025)).hasValueSatisfying(y -> {
            assertThat(y.holidays()).hasSize(1 + 8 + 3 + 5 + 3 + 8);
            assertThat(y.workdays()).hasSize(5);
        });
    }

    @ParameterizedTest(name = "{0} working: {1}")
    @CsvSource({
            // 2026 Spring Festival: off Feb 15–23, make-up Saturdays Feb 14 and Feb 28
            "2026-02-13, true", "2026-02-14, true", "2026-02-15, false", "2026-02-16, false",
            "2026-02-23, false", "2026-02-24, true", "2026-02-28, true", "2026-03-01, false",
            // 2026 Mid-Autumn and National Day: off Sep 25–27 and Oct 1–7, make-up Sep 20 and Oct 10
            "2026-09-20, true", "2026-09-25, false", "2026-09-28, true", "2026-10-01, false",
            "2026-10-07, false", "2026-10-08, true", "2026-10-10, true", "2026-10-11, false",
            // ordinary days
            "2026-11-27, true", "2026-11-28, false", "2026-11-29, false",
            // 2025
            "2025-01-26, true", "2025-01-28, false", "2025-02-04, false", "2025-02-08, true",
            "2025-10-08, false", "2025-10-11, true", "2025-05-31, false", "2025-06-02, false",
    })
    void workingDaysFollowTheHolidayNoticeIncludingMakeUpWeekendDays(String day, boolean working) {
        assertThat(calendar.isWorkingDay(d(day))).isEqualTo(working);
    }

    @ParameterizedTest(name = "{0} + {1} working days = {2}")
    @CsvSource({
            "2026-02-12, 1, 2026-02-13",
            "2026-02-12, 2, 2026-02-14",  // make-up Saturday counts
            "2026-02-12, 3, 2026-02-24",  // the whole Spring Festival is skipped
            "2026-02-14, 1, 2026-02-24",  // start on a make-up day: not counted itself
            "2026-02-15, 1, 2026-02-24",  // start on a holiday
            "2026-02-26, 2, 2026-02-28",
            "2026-09-18, 1, 2026-09-20",  // make-up Sunday
            "2026-09-24, 1, 2026-09-28",
            "2026-09-30, 1, 2026-10-08",
            "2026-10-09, 1, 2026-10-10",
            "2026-10-10, 1, 2026-10-12",
            "2026-11-27, 15, 2026-12-18", // the docs/contract.md §1 example
            "2026-11-27, 0, 2026-11-27",
    })
    void addWorkingDaysGivesTheNthWorkingDayAfterTheStartWhichIsNotCounted(String start, int n, String expected) {
        assertThat(calendar.addWorkingDays(d(start), n)).isEqualTo(d(expected));
    }

    @Test
    void workingDaysBetweenCountsFromExclusiveToInclusive() {
        assertThat(calendar.workingDaysBetween(d("2026-02-13"), d("2026-02-28"))).isEqualTo(6);
        assertThat(calendar.workingDaysBetween(d("2026-09-30"), d("2026-10-08"))).isEqualTo(1);
        assertThat(calendar.workingDaysBetween(d("2026-11-27"), d("2026-11-27"))).isZero();
        assertThatThrownBy(() -> calendar.workingDaysBetween(d("2026-11-27"), d("2026-11-26")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeWorkingDaysAreRejected() {
        assertThatThrownBy(() -> calendar.addWorkingDays(d("2026-11-27"), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aYearWithoutDataFallsBackToMondayToFridayAndIsReportedMissing() {
        WorkingCalendar fresh = WorkingCalendar.fromClasspath();
        assertThat(fresh.hasYear(2027)).isFalse();
        assertThat(fresh.missingYears(2025, 2027)).containsExactly(2027);
        assertThat(fresh.yearsUsedWithoutData()).isEmpty();

        assertThat(fresh.isWorkingDay(d("2027-01-01"))).as("New Year's Day is unknown: a plain Friday").isTrue();
        assertThat(fresh.isWorkingDay(d("2027-01-02"))).isFalse();
        assertThat(fresh.addWorkingDays(d("2026-12-31"), 2)).isEqualTo(d("2027-01-04"));
        assertThat(fresh.yearsUsedWithoutData()).containsExactly(2027);
    }

    @Test
    void anOverrideDirectoryFileReplacesTheWholeYearAndMayAddYears(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("2026.yaml"), """
                year: 2026
                source: "corrected notice"
                holidays: [2026-12-31]
                workdays: []
                """);
        Files.writeString(dir.resolve("2027.yaml"), """
                year: 2027
                source: "2027 notice"
                holidays: [2027-01-01]
                workdays: [2027-01-02]
                """);
        Files.writeString(dir.resolve("README.txt"), "not a calendar, ignored");

        WorkingCalendar overridden = WorkingCalendar.load(dir);

        assertThat(overridden.isWorkingDay(d("2026-02-16"))).as("classpath holiday replaced").isTrue();
        assertThat(overridden.isWorkingDay(d("2026-12-31"))).isFalse();
        assertThat(overridden.year(2026).orElseThrow().location()).isEqualTo(dir.resolve("2026.yaml").toAbsolutePath().toString());
        assertThat(overridden.isWorkingDay(d("2025-10-01"))).as("other years still from the classpath").isFalse();
        assertThat(overridden.hasYear(2027)).isTrue();
        assertThat(overridden.isWorkingDay(d("2027-01-02"))).isTrue();
        assertThat(overridden.missingYears(2025, 2027)).isEmpty();
    }

    @Test
    void aMissingOverrideDirectoryMeansNoOverrides(@TempDir Path dir) {
        WorkingCalendar c = WorkingCalendar.load(dir.resolve("not-there"));
        assertThat(c.loadedYears()).containsExactly(2025, 2026);
    }

    @Test
    void anOverrideDirectoryThatIsAFileIsRejected(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("calendar"), "x");
        assertThatThrownBy(() -> WorkingCalendar.load(file))
                .isInstanceOf(InvalidTimeDataException.class).hasMessageContaining("not a directory");
    }

    /** Expected messages write a quote as [..]: a quote would be CSV quoting. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            date both holiday and workday | year: 2026\\nsource: s\\nholidays: [2026-02-14]\\nworkdays: [2026-02-14]  | workdays entry 2026-02-14 is also listed in holidays
            holiday outside its year      | year: 2026\\nsource: s\\nholidays: [2027-01-01]                        | [2027-01-01] is outside the year 2026
            range leaving its year        | year: 2026\\nsource: s\\nholidays: [2026-12-31..2027-01-02]            | [2026-12-31..2027-01-02] is outside the year 2026
            malformed date                | year: 2026\\nsource: s\\nholidays: [2026-02-30]                        | [2026-02-30] is not a valid date
            text instead of a date        | year: 2026\\nsource: s\\nholidays: [Feb 15]                            | [Feb 15] is not a valid date
            reversed range                | year: 2026\\nsource: s\\nholidays: [2026-02-23..2026-02-15]            | the range ends before it starts
            overlapping entries           | year: 2026\\nsource: s\\nholidays: [2026-02-15..2026-02-23, 2026-02-20] | listed twice
            make-up day on a weekday      | year: 2026\\nsource: s\\nworkdays: [2026-02-16]                        | not a weekend day
            year not matching file name   | year: 2025\\nsource: s                                                 | does not match the file name
            misspelt key                  | year: 2026\\nsource: s\\nholiday: [2026-02-16]                         | unknown key [holiday]
            missing source                | year: 2026                                                             | [source] is required
            duplicate key                 | year: 2026\\nsource: s\\nsource: t                                     | not readable YAML
            not YAML                      | year: [2026                                                            | not readable YAML
            """)
    void invalidCalendarFilesAreRejectedNamingTheFileAndEntry(String title, String content, String message,
                                                             @TempDir Path dir) throws IOException {
        Path file = dir.resolve("2026.yaml");
        Files.writeString(file, content.replace("\\n", "\n"));

        assertThatThrownBy(() -> WorkingCalendar.load(dir))
                .isInstanceOf(InvalidTimeDataException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining(message.replace('[', '\'').replace(']', '\''));
    }

    @Test
    void aMisnamedYamlFileInTheOverrideDirectoryIsRejectedRatherThanIgnored(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("calendar-2027.yaml"), "year: 2027\nsource: s\n");
        assertThatThrownBy(() -> WorkingCalendar.load(dir))
                .isInstanceOf(InvalidTimeDataException.class)
                .hasMessageContaining("calendar-2027.yaml")
                .hasMessageContaining("<year>.yaml");
    }

    @Test
    void anEmptyCalendarFileIsRejected(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("2027.yaml"), "");
        assertThatThrownBy(() -> WorkingCalendar.load(dir))
                .isInstanceOf(InvalidTimeDataException.class)
                .hasMessageContaining("2027.yaml")
                .hasMessageContaining("must be a mapping");
    }
}
