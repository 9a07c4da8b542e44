package cn.yekuo.hub.domain.time;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A version of the time-limit table, in force for cases accepted on or after {@code effectiveFrom}.
 *
 * @param schemeValidityMonths    how long a notified supply scheme stays valid (方案有效期; 12 unless the set says)
 * @param deduction               points per missed deadline for a row that names none (1.0 unless the set says)
 * @param nonCooperationDeduction points per entry "did not cooperate as asked" (clause 2; the set's deduction unless it says)
 */
public record RuleSet(String name, LocalDate effectiveFrom, List<TimeLimitRule> rules, int schemeValidityMonths,
                      BigDecimal deduction, BigDecimal nonCooperationDeduction) {

    public static final int DEFAULT_SCHEME_VALIDITY_MONTHS = 12;
    /** The deduction of the hub before it was a value of the table (yk.assessment.deduction-per-overrun). */
    public static final BigDecimal DEFAULT_DEDUCTION = new BigDecimal("1.00");

    public RuleSet {
        rules = List.copyOf(rules);
        java.util.Objects.requireNonNull(deduction, "deduction");
        java.util.Objects.requireNonNull(nonCooperationDeduction, "nonCooperationDeduction");
        if (schemeValidityMonths <= 0) {
            throw new IllegalArgumentException("schemeValidityMonths must be positive: " + schemeValidityMonths);
        }
    }

    /** The row for {@code node}; a row for the exact number of sources wins over an 'any' row. */
    public Optional<TimeLimitRule> ruleFor(Node node, int powerSources) {
        Optional<TimeLimitRule> exact = rules.stream()
                .filter(r -> r.node() == node && r.sources() != Sources.ANY && r.sources().matches(powerSources))
                .findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        return rules.stream().filter(r -> r.node() == node && r.sources() == Sources.ANY).findFirst();
    }
}
