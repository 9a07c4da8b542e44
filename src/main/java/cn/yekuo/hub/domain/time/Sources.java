package cn.yekuo.hub.domain.time;

/** The number of power sources (电源) a rule row applies to: single, dual, or any. */
public enum Sources {
    SINGLE, DUAL, ANY;

    /** Whether this row applies to a case with {@code powerSources} sources (1 or 2). */
    public boolean matches(int powerSources) {
        return switch (this) {
            case SINGLE -> powerSources == 1;
            case DUAL -> powerSources == 2;
            case ANY -> true;
        };
    }

    /** The YAML spelling: 1, 2 or {@code any}. */
    static Sources fromYaml(Object value) {
        if (value == null || "any".equals(value)) {
            return ANY;
        }
        if (Integer.valueOf(1).equals(value)) {
            return SINGLE;
        }
        if (Integer.valueOf(2).equals(value)) {
            return DUAL;
        }
        throw new IllegalArgumentException("sources must be 1, 2 or any, not '" + value + "'");
    }
}
