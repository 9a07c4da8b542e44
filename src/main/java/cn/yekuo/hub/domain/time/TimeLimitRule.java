package cn.yekuo.hub.domain.time;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * One row of the time-limit table: a node owes its answer within {@code limit} days.
 *
 * @param node          the timed node
 * @param sources       single, dual or any number of power sources
 * @param limit         the number of days allowed (> 0)
 * @param days          whether working or calendar days are counted
 * @param responsible   unit codes charged for overruns ({@link cn.yekuo.hub.domain.Unit#code()}, or
 *                      {@value TimeLimitRules#SUPPLY_STATION} for the station of the case's area)
 * @param warning       when the unit and the representative are warned
 * @param ruleSet       name of the rule set the row belongs to, for the assessment report
 * @param effectiveFrom first acceptance date the rule set applies to
 * @param deduction     points charged per missed deadline of the node (the row's, else its rule set's)
 */
public record TimeLimitRule(Node node, Sources sources, int limit, DayKind days, List<String> responsible,
                            WarningThreshold warning, String ruleSet, LocalDate effectiveFrom, BigDecimal deduction) {

    public TimeLimitRule {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        responsible = List.copyOf(responsible);
        java.util.Objects.requireNonNull(deduction, "deduction");
        if (deduction.signum() < 0) {
            throw new IllegalArgumentException("deduction must not be negative: " + deduction);
        }
    }

    /** A bare rule, e.g. for tests or a hand-off's own configured limit. */
    public static TimeLimitRule of(Node node, int limit, DayKind days) {
        return new TimeLimitRule(node, Sources.ANY, limit, days, List.of(), WarningThreshold.DEFAULT, "ad hoc", LocalDate.MIN, RuleSet.DEFAULT_DEDUCTION);
    }
}
