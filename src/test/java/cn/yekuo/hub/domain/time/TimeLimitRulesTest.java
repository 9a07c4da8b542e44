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

class TimeLimitRulesTest {

    private static final LocalDate NOW = LocalDate.of(2026, 11, 27);
    private final TimeLimitRules rules = TimeLimitRules.loadDefault();

    @ParameterizedTest(name = "{0}, {1} source(s): {2} {3} days, {4}")
    @CsvSource({
            "SCHEME_REPLY, 1, 15, WORKING, production marketing",
            "SCHEME_REPLY, 2, 30, WORKING, production marketing",
            "DESIGN_REVIEW, 1, 10, WORKING, production",
            "DESIGN_REVIEW, 2, 10, WORKING, production",
            "MID_INSPECTION, 1, 5, WORKING, production",
            "COMPLETION_ACCEPTANCE, 2, 5, WORKING, production marketing",
            "ENERGIZATION, 1, 5, CALENDAR, customer-center production marketing construction",
            "RETURN_VISIT_REPORT, 1, 10, CALENDAR, supply-station",
    })
    void currentDefaultsAreTheDomainTable(Node node, int sources, int limit, DayKind days, String responsible) {
        TimeLimitRule rule = rules.ruleFor(node, sources, NOW).orElseThrow();
        assertThat(rule.limit()).isEqualTo(limit);
        assertThat(rule.days()).isEqualTo(days);
        assertThat(rule.responsible()).containsExactly(responsible.split(" "));
        assertThat(rule.warning()).isEqualTo(WarningThreshold.DEFAULT);
        assertThat(rule.effectiveFrom()).isEqualTo(LocalDate.of(2020, 1, 1));
    }

    @Test
    void theRuleSetIsChosenByTheDateTheCaseWasAccepted() {
        TimeLimitRule old = rules.ruleFor(Node.SCHEME_REPLY, 1, LocalDate.of(2019, 12, 31)).orElseThrow();
        assertThat(old.ruleSet()).contains("1996");
        assertThat(old.limit()).isEqualTo(30);
        assertThat(old.days()).isEqualTo(DayKind.CALENDAR);
        assertThat(rules.ruleFor(Node.SCHEME_REPLY, 2, LocalDate.of(2019, 12, 31)).orElseThrow().limit()).isEqualTo(60);

        TimeLimitRule current = rules.ruleFor(Node.SCHEME_REPLY, 1, LocalDate.of(2020, 1, 1)).orElseThrow();
        assertThat(current.limit()).isEqualTo(15);
        assertThat(current.days()).isEqualTo(DayKind.WORKING);
    }

    @Test
    void aNodeWithoutARowInTheRuleSetInForceHasNoLimit() {
        assertThat(rules.ruleFor(Node.DESIGN_REVIEW, 1, LocalDate.of(2010, 5, 1))).isEmpty();
    }

    @Test
    void aCaseAcceptedBeforeEveryRuleSetHasNoLimit() {
        assertThat(rules.ruleSetInForce(LocalDate.of(1995, 12, 31))).isEmpty();
        assertThat(rules.ruleFor(Node.SCHEME_REPLY, 1, LocalDate.of(1995, 12, 31))).isEmpty();
    }

    @Test
    void ruleSetsAreListedOldestFirst() {
        assertThat(rules.ruleSets()).extracting(RuleSet::effectiveFrom)
                .containsExactly(LocalDate.of(1996, 1, 1), LocalDate.of(2020, 1, 1));
    }

    @Test
    void onlyOneOrTwoPowerSourcesAreAccepted() {
        assertThatThrownBy(() -> rules.ruleFor(Node.SCHEME_REPLY, 3, NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anExternalFileReplacesTheDefaultTableAndAnExactSourcesRowWinsOverAny(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("limits.yaml");
        Files.writeString(file, """
                ruleSets:
                  - name: local 2026
                    effectiveFrom: 2026-01-01
                    warning: { remainingPercent: 30 }
                    rules:
                      - { node: SCHEME_REPLY, sources: any, limit: 12, days: WORKING, responsible: [production] }
                      - { node: SCHEME_REPLY, sources: 2, limit: 22, days: WORKING, responsible: [production, marketing],
                          warning: { remainingPercent: 10, atLeastWorkingDays: 2 } }
                """);

        TimeLimitRules local = TimeLimitRules.load(file);

        assertThat(local.ruleSets()).hasSize(1);
        TimeLimitRule single = local.ruleFor(Node.SCHEME_REPLY, 1, NOW).orElseThrow();
        assertThat(single.limit()).isEqualTo(12);
        assertThat(single.warning()).isEqualTo(new WarningThreshold(30, 1));
        TimeLimitRule dual = local.ruleFor(Node.SCHEME_REPLY, 2, NOW).orElseThrow();
        assertThat(dual.limit()).isEqualTo(22);
        assertThat(dual.warning()).isEqualTo(new WarningThreshold(10, 2));
        assertThat(local.ruleFor(Node.ENERGIZATION, 1, NOW)).isEmpty();
        assertThat(local.ruleFor(Node.SCHEME_REPLY, 1, LocalDate.of(2025, 12, 31))).isEmpty();
    }

    @Test
    void withoutAnExternalFileTheDefaultIsUsed() {
        assertThat(TimeLimitRules.load(null).ruleSets()).hasSize(2);
    }

    @Test
    void aMissingExternalFileIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> TimeLimitRules.load(dir.resolve("nope.yaml")))
                .isInstanceOf(InvalidTimeDataException.class).hasMessageContaining("nope.yaml");
    }

    private static final String HEAD = "ruleSets:\\n  - name: r\\n    effectiveFrom: 2026-01-01\\n    rules:\\n";

    /** Expected messages write a quote as [..]: a quote would be CSV quoting. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown unit            | - { node: DESIGN_REVIEW, limit: 10, days: WORKING, responsible: [prodution] }      | unknown unit: prodution
            no responsible unit     | - { node: DESIGN_REVIEW, limit: 10, days: WORKING }                               | at least one unit code
            unknown node            | - { node: DESIGNING, limit: 10, days: WORKING, responsible: [production] }        | node: [DESIGNING] is not one of
            negative deduction      | - { node: DESIGN_REVIEW, limit: 10, days: WORKING, responsible: [production], deduction: -1 } | deduction must be between 0 and
            deduction of 3 decimals | - { node: DESIGN_REVIEW, limit: 10, days: WORKING, responsible: [production], deduction: 0.125 } | at most two decimals
            deduction not a number  | - { node: DESIGN_REVIEW, limit: 10, days: WORKING, responsible: [production], deduction: one } | must be a number of points
            unknown day kind        | - { node: DESIGN_REVIEW, limit: 10, days: BUSINESS, responsible: [production] }   | days: [BUSINESS] is not one of
            bad sources             | - { node: DESIGN_REVIEW, sources: 3, limit: 10, days: WORKING, responsible: [production] } | sources must be 1, 2 or any
            zero limit              | - { node: DESIGN_REVIEW, limit: 0, days: WORKING, responsible: [production] }     | limit must be positive
            limit not a number      | - { node: DESIGN_REVIEW, limit: ten, days: WORKING, responsible: [production] }   | must be a whole number
            misspelt key            | - { node: DESIGN_REVIEW, limt: 10, days: WORKING, responsible: [production] }     | unknown key [limt]
            two rows for one node   | - { node: MID_INSPECTION, limit: 5, days: WORKING, responsible: [production] }\\n      - { node: MID_INSPECTION, limit: 6, days: WORKING, responsible: [production] } | a second row for MID_INSPECTION
            warning over 100%       | - { node: DESIGN_REVIEW, limit: 10, days: WORKING, responsible: [production], warning: { remainingPercent: 120 } } | remainingPercent must be 0..100
            """)
    void invalidRowsAreRejectedNamingTheFileAndTheRow(String title, String row, String message,
                                                    @TempDir Path dir) throws IOException {
        Path file = dir.resolve("limits.yaml");
        Files.writeString(file, (HEAD + "      " + row + "\n").replace("\\n", "\n"));

        assertThatThrownBy(() -> TimeLimitRules.load(file))
                .isInstanceOf(InvalidTimeDataException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("rule set 'r' row")
                .hasMessageContaining(message.replace('[', '\'').replace(']', '\''));
    }

    @Test
    void twoRuleSetsEffectiveOnTheSameDateAreRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("limits.yaml");
        Files.writeString(file, """
                ruleSets:
                  - { name: a, effectiveFrom: 2026-01-01, rules: [] }
                  - { name: b, effectiveFrom: 2026-01-01, rules: [] }
                """);
        assertThatThrownBy(() -> TimeLimitRules.load(file))
                .isInstanceOf(InvalidTimeDataException.class)
                .hasMessageContaining("rule set 'b': another rule set is effective from 2026-01-01");
    }

    @Test
    void theSchemeValidityComesFromTheRuleSetInForceTwelveMonthsWhereItSaysNothing(@TempDir Path dir) throws IOException {
        assertThat(TimeLimitRules.loadDefault().schemeValidityMonths(NOW)).isEqualTo(12);
        Path file = dir.resolve("limits.yaml");
        Files.writeString(file, """
                ruleSets:
                  - { name: a, effectiveFrom: 2020-01-01, rules: [] }
                  - { name: b, effectiveFrom: 2026-01-01, schemeValidityMonths: 6, rules: [] }
                """);
        TimeLimitRules rules = TimeLimitRules.load(file);
        assertThat(rules.schemeValidityMonths(LocalDate.of(2025, 12, 31))).isEqualTo(12);
        assertThat(rules.schemeValidityMonths(LocalDate.of(2026, 1, 1))).isEqualTo(6);

        Files.writeString(file, "ruleSets:\n  - { name: a, effectiveFrom: 2026-01-01, schemeValidityMonths: 0, rules: [] }\n");
        assertThatThrownBy(() -> TimeLimitRules.load(file))
                .isInstanceOf(InvalidTimeDataException.class)
                .hasMessageContaining("rule set 'a': schemeValidityMonths must be positive: 0");
    }

    @Test
    void aMalformedEffectiveDateIsRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("limits.yaml");
        Files.writeString(file, "ruleSets:\n  - { name: a, effectiveFrom: 2026-13-01, rules: [] }\n");
        assertThatThrownBy(() -> TimeLimitRules.load(file))
                .isInstanceOf(InvalidTimeDataException.class)
                .hasMessageContaining("rule set 'a' effectiveFrom: '2026-13-01' is not a valid date");
    }

    @Test
    void theWarningShareIsRoundedUpToWholeDaysAndCappedAtTheLimit() {
        assertThat(WarningThreshold.DEFAULT.remainingDays(15)).isEqualTo(3);
        assertThat(WarningThreshold.DEFAULT.remainingDays(10)).isEqualTo(2);
        assertThat(WarningThreshold.DEFAULT.remainingDays(5)).isEqualTo(1);
        assertThat(WarningThreshold.DEFAULT.remainingDays(1)).isEqualTo(1);
        assertThat(new WarningThreshold(0, 1).remainingDays(15)).isZero();
        assertThat(new WarningThreshold(100, 1).remainingDays(5)).isEqualTo(5);
    }
}
