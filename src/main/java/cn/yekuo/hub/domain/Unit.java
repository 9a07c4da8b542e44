package cn.yekuo.hub.domain;

/** Internal units, each reached by its own mailbox (supply stations are configured separately). */
public enum Unit {
    PRODUCTION("production", "生产技术部"),
    MARKETING("marketing", "市场营销部"),
    CONSTRUCTION("construction", "实业公司"),
    CUSTOMER_CENTER("customer-center", "客户中心"),
    ASSESSMENT("assessment", "考核办"),
    CUSTOMER_REP("customer-rep", "客户代表");

    private final String code;
    private final String chinese;

    Unit(String code, String chinese) {
        this.code = code;
        this.chinese = chinese;
    }

    /** The code used in configuration and messages, e.g. {@code customer-center}. */
    public String code() {
        return code;
    }

    public String chinese() {
        return chinese;
    }

    public static Unit fromCode(String code) {
        for (Unit u : values()) {
            if (u.code.equals(code)) {
                return u;
            }
        }
        throw new IllegalArgumentException("unknown unit: " + code);
    }
}
