package cn.yekuo.hub.domain;

import java.util.Optional;

/** Business types the customer-agent system covers (新装, 增容, 输变电设施迁移). */
public enum ServiceType {
    NEW_INSTALL("新装"), CAPACITY_INCREASE("增容"), RELOCATION("输变电设施迁移");

    private final String chinese;

    ServiceType(String chinese) {
        this.chinese = chinese;
    }

    public String chinese() {
        return chinese;
    }

    /** Any other code is a message we accept but answer NOT_ELIGIBLE. */
    public static Optional<ServiceType> fromCode(String code) {
        for (ServiceType t : values()) {
            if (t.name().equals(code)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
