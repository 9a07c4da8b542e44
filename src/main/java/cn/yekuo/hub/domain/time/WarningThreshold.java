package cn.yekuo.hub.domain.time;

/**
 * When to warn before a deadline (docs/domain.md: when 20% of the limit remains, at least one working day before).
 *
 * @param remainingPercent    warn when this share of the limit remains (rounded up to whole days)
 * @param atLeastWorkingDays  but never later than this many working days before the deadline (the due day counts)
 */
public record WarningThreshold(int remainingPercent, int atLeastWorkingDays) {

    public static final WarningThreshold DEFAULT = new WarningThreshold(20, 1);

    public WarningThreshold {
        if (remainingPercent < 0 || remainingPercent > 100) {
            throw new IllegalArgumentException("remainingPercent must be 0..100: " + remainingPercent);
        }
        if (atLeastWorkingDays < 0) {
            throw new IllegalArgumentException("atLeastWorkingDays must not be negative: " + atLeastWorkingDays);
        }
    }

    /** Days of the limit left when the warning fires: the percentage rounded up, capped at the limit. */
    public int remainingDays(int limit) {
        int days = (limit * remainingPercent + 99) / 100;
        return Math.min(limit, days);
    }
}
