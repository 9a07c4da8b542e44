package cn.yekuo.hub.domain.time;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The assessment's values in the rule table (issue 17 point 5): deductions per rule set and row, the construction unit's rows. */
class AssessmentRulesTest {

    private static final LocalDate NOW = LocalDate.of(2026, 11, 27);

    @Test
    void theDefaultTableDeductsOnePointPerOverrunAndPerNonCooperationAndTimesNoConstructionWork() {
        TimeLimitRules rules = TimeLimitRules.loadDefault();
        for (Node node : List.of(Node.SCHEME_REPLY, Node.DESIGN_REVIEW, Node.MID_INSPECTION, Node.COMPLETION_ACCEPTANCE,
                Node.ENERGIZATION, Node.RETURN_VISIT_REPORT)) {
            assertThat(rules.ruleFor(node, 1, NOW).orElseThrow().deduction()).as(node.name()).isEqualByComparingTo("1.0");
        }
        assertThat(rules.nonCooperationDeduction(NOW)).isEqualByComparingTo("1.0");
        assertThat(rules.ruleFor(Node.DESIGN, 1, NOW)).as("off by default").isEmpty();
        assertThat(rules.ruleFor(Node.RECTIFICATION, 2, NOW)).as("off by default").isEmpty();
        assertThat(rules.ruleFor(Node.SCHEME_REPLY, 1, LocalDate.of(2000, 1, 1)).orElseThrow().deduction())
                .as("a set without a deduction: 1.0, the hub's old global value").isEqualByComparingTo("1.0");
    }

    @Test
    void aRowsDeductionWinsOverItsSetsAndEachCaseKeepsTheSetOfItsAcceptanceDate(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("limits.yaml");
        Files.writeString(file, """
                ruleSets:
                  - name: old
                    effectiveFrom: 2020-01-01
                    rules:
                      - { node: ENERGIZATION, limit: 5, days: CALENDAR, responsible: [customer-center] }
                  - name: new
                    effectiveFrom: 2026-07-01
                    deduction: 2
                    nonCooperationDeduction: 0.5
                    rules:
                      - { node: ENERGIZATION, limit: 5, days: CALENDAR, responsible: [customer-center], deduction: 1.25 }
                      - { node: DESIGN_REVIEW, limit: 10, days: WORKING, responsible: [production] }
                """);
        TimeLimitRules rules = TimeLimitRules.load(file);

        assertThat(rules.ruleFor(Node.ENERGIZATION, 1, NOW).orElseThrow().deduction()).isEqualByComparingTo("1.25");
        assertThat(rules.ruleFor(Node.DESIGN_REVIEW, 1, NOW).orElseThrow().deduction()).isEqualByComparingTo("2");
        assertThat(rules.nonCooperationDeduction(NOW)).isEqualByComparingTo("0.5");
        LocalDate before = LocalDate.of(2026, 6, 30);
        assertThat(rules.ruleFor(Node.ENERGIZATION, 1, before).orElseThrow().deduction()).isEqualByComparingTo("1");
        assertThat(rules.nonCooperationDeduction(before)).as("the set's deduction when it names none").isEqualByComparingTo("1");
        assertThat(rules.nonCooperationDeduction(LocalDate.of(2019, 1, 1))).as("before every set: the first").isEqualByComparingTo("1");
    }

    @Test
    void aRuleFileThatTimesTheConstructionUnitsWorkMakesItAccountable(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("limits.yaml");
        Files.writeString(file, """
                ruleSets:
                  - name: with construction
                    effectiveFrom: 2020-01-01
                    rules:
                      - { node: DESIGN, limit: 20, days: WORKING, responsible: [construction] }
                      - { node: RECTIFICATION, limit: 10, days: WORKING, responsible: [construction], deduction: 0.5 }
                """);
        TimeLimitRules rules = TimeLimitRules.load(file);

        TimeLimitRule design = rules.ruleFor(Node.DESIGN, 1, NOW).orElseThrow();
        assertThat(design.responsible()).containsExactly("construction");
        assertThat(design.limit()).isEqualTo(20);
        assertThat(rules.ruleFor(Node.RECTIFICATION, 2, NOW).orElseThrow().deduction()).isEqualByComparingTo("0.5");
        SlaClock clock = new SlaClock(WorkingCalendar.fromClasspath(), java.time.ZoneId.of("Asia/Shanghai"));
        Deadline d = clock.deadline(design, java.time.OffsetDateTime.parse("2026-11-27T10:00:00+08:00"));
        assertThat(d.dueAt()).as("20 working days after Friday 27 November").isEqualTo("2026-12-25T23:59:59+08:00");
    }

    @Test
    void pointsAreKeptWithTwoDecimals() {
        assertThat(RuleSet.DEFAULT_DEDUCTION).isEqualTo(new BigDecimal("1.00"));
    }
}
