package cn.yekuo.hub.domain.time;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A version of the time-limit table, in force for cases accepted on or after {@code effectiveFrom}.
 *
 * @param schemeValidityMonths how long a notified supply scheme stays valid (方案有效期; 12 unless the set says)
 */
public record RuleSet(String name, LocalDate effectiveFrom, List<TimeLimitRule> rules, int schemeValidityMonths) {

    public static final int DEFAULT_SCHEME_VALIDITY_MONTHS = 12;

    public RuleSet {
        rules = List.copyOf(rules);
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
